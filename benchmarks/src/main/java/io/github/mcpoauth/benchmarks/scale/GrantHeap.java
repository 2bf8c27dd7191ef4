package io.github.mcpoauth.benchmarks.scale;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Heap per grant held by the in-memory grant store: retained heap after full collections across {@code count}
 * grants, each rotated {@code rotations} times, divided by the count. The grants look like the token endpoint's:
 * a 22-character id, a client of a thousand (its {@link ClientID} shared, as the client store hands out one), a
 * subject per user, scopes and resources parsed afresh from each request, an instant of its own for its creation and
 * its expiry, base64url SHA-256 hashes of refresh tokens of the issued shape ({@code <grant id>.<secret>}), each
 * grant then found by its current token (and, once rotated, its token rotated out first or last kept) as the token
 * endpoint finds it.
 * A figure, not a test: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.mcpoauth.benchmarks.scale.GrantHeap [count]}.
 */
public final class GrantHeap {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private GrantHeap() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        for (int rotations : new int[] {0, 1, 4, GrantStore.ROTATED_HASHES_KEPT}) {
            System.out.printf("%,d grants, %2d rotations each: %,6d bytes per grant%n", count, rotations,
                    bytesPerGrant(count, rotations));
        }
    }

    /** Retained heap per grant of {@code count} grants rotated {@code rotations} times each. */
    public static long bytesPerGrant(int count, int rotations) {
        Clock clock = Clock.systemUTC();
        Random random = new SecureRandom();
        List<ClientID> clients = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new ClientID("client-" + i + "-" + B64.encodeToString(bytes(random, 12)))).toList();
        GrantStore store = InMemoryStores.newBuilder(clock).maxGrants(Math.max(count, 1))
                .maxGrantsPerUserAndClient(1000).build().stores().grants();
        long before = usedAfterGc();
        Instant now = clock.instant();
        String[] current = new String[count];
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = B64.encodeToString(bytes(random, 16));
            current[i] = refreshTokenHash(random, ids[i]);
            // as a request parse makes them: new strings and URIs per grant
            String scope = new String("mcp tools".getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
            store.save(new Grant(ids[i], clients.get(i % clients.size()), "user-" + i,
                    new LinkedHashSet<>(Arrays.asList(scope.split(" "))),
                    List.of(URI.create("http://127.0.0.1:8080/mcp")), now.plusNanos(i),
                    Optional.of(current[i]), now.plus(Duration.ofDays(30)), false));
        }
        String[] oldest = rotations == 0 ? current : current.clone();
        for (int r = 0; r < rotations; r++) {
            for (int i = 0; i < count; i++) {
                String next = refreshTokenHash(random, ids[i]);
                if (!store.rotate(ids[i], current[i], next, now.plus(Duration.ofDays(30)))) {
                    throw new IllegalStateException("rotation failed");
                }
                current[i] = next;
            }
        }
        for (int i = 0; i < count; i++) {
            // the current token, and the oldest rotated out if the grant still keeps it: as the token endpoint asks
            if (store.findByRefreshToken(ids[i], current[i]).isEmpty() || rotations <= GrantStore.ROTATED_HASHES_KEPT
                    && store.findByRefreshToken(ids[i], oldest[i]).isEmpty()) {
                throw new IllegalStateException("grant not found by its refresh token");
            }
        }
        current = null;
        oldest = null;
        ids = null;
        long after = usedAfterGc();
        if (store.findById("x").isPresent()) {
            throw new AssertionError(); // keeps the store reachable until here
        }
        return (after - before) / Math.max(count, 1);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The hash of a new refresh token of grant {@code grantId}, as the server issues and hashes it. */
    private static String refreshTokenHash(Random random, String grantId) {
        String token = grantId + "." + B64.encodeToString(bytes(random, 32));
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
