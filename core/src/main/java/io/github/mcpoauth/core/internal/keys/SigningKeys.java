package io.github.mcpoauth.core.internal.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.StoreException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.UUID;

/**
 * The server's access-token signing keys (one algorithm of {@link KeyMaterial#SIGNING_ALGORITHMS}, ES256 by
 * default) and their rotation, kept in a {@link SigningKeyStore} so
 * that every node signs with and publishes the same keys.
 *
 * <p>Lifecycle of a key: made and published in the JWKS; signing from {@code activatesAt}; a successor is made
 * {@code publishLead} before the key retires, so relying parties see it in the JWKS before it signs; after
 * retiring, the key stays published until every token it signed has expired (RFC 7517 §5, RFC 8725 §3.1).
 * The key list is read from the store at most once per {@code refreshInterval}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 (JWK Set)</a>
 */
public final class SigningKeys {

    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    /** How often a thread re-reads after losing a race to make a key before it gives up (each loss = a new key). */
    private static final int MAX_KEY_RACES = 8;
    private static final Duration SUCCESSOR_RETRY = Duration.ofSeconds(30);
    /** A re-read in flight this long (a frozen store, a task dropped by a shut-down refresher) may be started anew. */
    private static final Duration READ_TAKEOVER = Duration.ofSeconds(60);

    private final SigningKeyStore store;
    private final Clock clock;
    private final Duration keyLifetime;
    private final Duration publishLead;
    private final Duration tokenLifetime;
    private final Duration refreshInterval;
    /** What new keys sign with; keys of another algorithm (made before a change of it) only verify. */
    private final JWSAlgorithm algorithm;

    private volatile Snapshot snapshot;
    /** Parsed keys by their stored JSON; a handful of entries (keys are rotated every 90 days). */
    private final Map<String, JWK> parsed = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastKeyMissRead = new AtomicReference<>(Instant.EPOCH);
    private final AtomicReference<Instant> lastServedRead = new AtomicReference<>(Instant.EPOCH);
    /** When the re-read in flight started; {@code null} when none is. */
    private final AtomicReference<Instant> readingSince = new AtomicReference<>();
    private final Object rotation = new Object();
    private volatile boolean lastReadFailed;
    /** Where due re-reads run; {@code null}: on the calling thread. */
    private final Executor refresher;
    /** After a failed attempt to store a successor, the next waits this long: signing never queues on a dead store. */
    private volatile Instant noSuccessorBefore = Instant.MIN;

    private record Snapshot(Instant readAt, List<SigningKey> keys) {
    }

    private SigningKeys(SigningKeyStore store, Clock clock, Duration keyLifetime, Duration publishLead,
            Duration tokenLifetime, Duration refreshInterval, Executor refresher, JWSAlgorithm algorithm) {
        if (!KeyMaterial.supported(algorithm)) {
            throw new IllegalArgumentException("signing algorithm must be one of " + KeyMaterial.SIGNING_ALGORITHMS
                    + ", was " + algorithm);
        }
        this.algorithm = algorithm;
        this.refresher = refresher;
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keyLifetime = keyLifetime;
        this.publishLead = publishLead;
        this.tokenLifetime = tokenLifetime;
        this.refreshInterval = refreshInterval;
    }

    /**
     * Keys in {@code store}, each signing for 90 days, successors published 1 day ahead, retired keys kept
     * published for {@code tokenLifetime} plus 5 minutes, the store re-read every 60 seconds.
     */
    public static SigningKeys create(SigningKeyStore store, Clock clock, Duration tokenLifetime) {
        return create(store, clock, tokenLifetime, Duration.ofDays(90), Duration.ofDays(1), Duration.ofSeconds(60));
    }

    /** Keys with every period chosen by the caller; {@code publishLead} must be shorter than {@code keyLifetime}. */
    public static SigningKeys create(SigningKeyStore store, Clock clock, Duration tokenLifetime, Duration keyLifetime,
            Duration publishLead, Duration refreshInterval) {
        if (publishLead.compareTo(keyLifetime) >= 0 || publishLead.isNegative()) {
            throw new IllegalArgumentException("publishLead must be shorter than keyLifetime");
        }
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative");
        }
        return new SigningKeys(store, clock, keyLifetime, publishLead, tokenLifetime.plusMinutes(5),
                refreshInterval, null, JWSAlgorithm.ES256);
    }

    /**
     * Keys as {@link #create(SigningKeyStore, Clock, Duration)} makes them but each signing for {@code keyLifetime},
     * re-read on {@code refresher} (the server's housekeeping thread), not on request threads: once loaded, signing
     * and the JWKS never wait for the store; a key not loaded yet, or a refresher shut down, makes the caller read.
     * New keys are made for {@code algorithm} (one of {@link KeyMaterial#SIGNING_ALGORITHMS}).
     */
    public static SigningKeys create(SigningKeyStore store, Clock clock, Duration tokenLifetime, Duration keyLifetime,
            Executor refresher, JWSAlgorithm algorithm) { // keyLifetime: the signingKeyRotation setting, over a day
        return new SigningKeys(store, clock, keyLifetime, Duration.ofDays(1), tokenLifetime.plusMinutes(5),
                Duration.ofSeconds(60), Objects.requireNonNull(refresher, "refresher"), algorithm);
    }

    /** The algorithm the current key signs with. */
    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The key to sign with now, making (and storing) one if the store has none, or a successor when due. Nodes
     * (and threads) racing to make a key agree on one through {@link SigningKeyStore#saveIfUnchanged}.
     *
     * @throws io.github.mcpoauth.core.store.StoreException if there is no key yet and the store cannot be read or
     *     written (a key that is loaded keeps signing through an outage)
     */
    public JWK currentKey() {
        Instant now = clock.instant();
        List<SigningKey> keys = keys(now, false);
        Optional<SigningKey> signing = newestSigning(keys, now);
        if (signing.isPresent() && (!needsSuccessor(keys, signing.get(), now) || now.isBefore(noSuccessorBefore))) {
            return parse(signing.get());
        }
        Optional<SigningKey> loaded = signing;
        synchronized (rotation) {
            for (int attempt = 0; attempt < MAX_KEY_RACES; attempt++) {
                try {
                    keys = keys(now, true); // another thread or node may have made it already
                } catch (RuntimeException e) {
                    if (loaded.isPresent()) {
                        noSuccessorBefore = now.plus(SUCCESSOR_RETRY);
                        return parse(loaded.get()); // its successor can wait: it was announced a lead ahead
                    }
                    throw e;
                }
                signing = newestSigning(keys, now);
                if (signing.isEmpty()) {
                    SigningKey made = generate(now, now);
                    if (store.saveIfUnchanged(made, ids(keys))) {
                        remember(now, keys, made);
                        return parse(made);
                    }
                    continue;
                }
                if (needsSuccessor(keys, signing.get(), now) && !addSuccessor(keys, signing.get(), now)) {
                    continue;
                }
                return parse(signing.get());
            }
        }
        return parse(newestSigning(keys(now, true), now).orElseThrow(() -> StoreException.unavailable(
                "no signing key could be agreed on after " + MAX_KEY_RACES + " attempts", null)));
    }

    /**
     * Stores a successor of {@code current}; whether the key list was as read (else another node changed it and
     * the caller reads again). A store failure is logged and ignored: the current key signs on for
     * {@code publishLead}, and the next call tries again.
     */
    private boolean addSuccessor(List<SigningKey> keys, SigningKey current, Instant now) {
        try {
            SigningKey successor = generate(now, current.retiresAt());
            if (!store.saveIfUnchanged(successor, ids(keys))) {
                return false;
            }
            remember(now, keys, successor);
        } catch (RuntimeException e) {
            noSuccessorBefore = now.plus(SUCCESSOR_RETRY);
            LOG.log(Level.WARNING, "cannot store the successor of signing key {0}; will retry in {1}: {2}",
                    current.keyId(), SUCCESSOR_RETRY, e.getClass().getName());
        }
        return true;
    }

    /** The store held {@code keys} and now {@code added} too (the compare-and-set proved it): no re-read needed. */
    private void remember(Instant now, List<SigningKey> keys, SigningKey added) {
        snapshot = new Snapshot(now, Stream.concat(keys.stream(), Stream.of(added)).toList());
    }

    private static Set<String> ids(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::keyId).collect(Collectors.toSet());
    }

    /** The public keys to publish now (RFC 7517 §5): signing keys, their announced successors, retired ones. */
    public JWKSet publicJwks() {
        currentKey();
        Instant now = clock.instant();
        List<JWK> published = keys(now, false).stream()
                .filter(k -> k.publishedAt(now))
                .sorted(Comparator.comparing(SigningKey::createdAt))
                .map(k -> (JWK) parse(k).toPublicJWK())
                .toList();
        return new JWKSet(published);
    }

    /**
     * The published public key {@code keyId}, if any. A key this node has not seen yet (another node made it
     * since the last read) makes it re-read the store at once, at most once a second, so that nodes sharing a store
     * accept each other's tokens without waiting for the refresh interval.
     */
    public Optional<JWK> publicKey(String keyId) {
        return lookUp(keyId, id -> Optional.ofNullable(publicJwks().getKeyByKeyId(id)));
    }

    /**
     * The private key whose {@code kid} {@code matches} while it is published (signing, announced, or retired until
     * every token it signed has expired), found as {@link #publicKey(String)} finds keys, {@code name} (the
     * {@code kid}, or a compact token's key tag) standing for it: for keys derived from it (MacKeys).
     */
    public Optional<JWK> privateKey(String name, Predicate<String> matches) {
        return lookUp(name, id -> {
            Instant now = clock.instant();
            return keys(now, false).stream().filter(k -> matches.test(k.keyId()) && k.publishedAt(now)).findFirst()
                    .map(this::parse);
        });
    }

    private <T> Optional<T> lookUp(String keyId, Function<String, Optional<T>> find) {
        Optional<T> found = keyId == null ? Optional.empty() : find.apply(keyId);
        if (found.isEmpty() && keyId != null && mayReadAgain(lastKeyMissRead)) {
            Snapshot s = snapshot;
            if (s != null) {
                reread(clock.instant(), s); // here and now: the answer depends on it
            }
            found = find.apply(keyId);
        }
        if (found.isEmpty() && keyId != null && lastReadFailed) {
            // The key may be one another node made since our last good read: we cannot tell "unknown" now.
            throw StoreException.unavailable("signing keys cannot be read now; kid not checked", null);
        }
        return found;
    }

    /**
     * The JWK Set as the {@code jwks_uri} serves it: like {@link #publicJwks()}, but re-read from the store at most
     * once a second rather than once per refresh interval, so that keys other nodes made are published within a
     * second, while a flood of JWKS requests costs the store at most one read a second.
     */
    public JWKSet servedJwks() {
        mayReadAgain(lastServedRead);
        return publicJwks();
    }

    /**
     * Drops the cached key list if {@code last} (one re-read budget: key misses, or the served JWKS) was not
     * spent in the last second; whether it did.
     */
    private boolean mayReadAgain(AtomicReference<Instant> last) {
        Instant now = clock.instant();
        Instant before = last.get();
        if ((now.isAfter(before.plusSeconds(1)) || now.isBefore(before)) && last.compareAndSet(before, now)) {
            invalidate();
            return true;
        }
        return false;
    }

    /**
     * These keys as a Nimbus {@link JWKSource} for a resource server in the same application: {@link LocalKeySource}.
     */
    public JWKSource<SecurityContext> jwkSource() {
        return new LocalKeySource(this);
    }

    /** Marks the cached key list out of date: the next call reads the store (and keeps it if the store fails). */
    public void invalidate() {
        Snapshot s = snapshot;
        if (s != null) {
            snapshot = new Snapshot(Instant.MIN, s.keys());
        }
    }

    /**
     * The key list, from memory while it is younger than the refresh interval. A re-read is single-flight: one
     * thread reads while the others go on with the list in memory. If the store fails, the list read last is kept
     * (and retried after the refresh interval, or at once on the next {@link #invalidate()}): keys that were
     * loaded keep signing, verifying and being published through a store outage. Only a node that never read
     * the keys fails.
     */
    private List<SigningKey> keys(Instant now, boolean fresh) {
        Snapshot s = snapshot;
        boolean due = s == null || !now.isBefore(s.readAt().plus(refreshInterval)) || now.isBefore(s.readAt());
        if (!fresh && !due) {
            return s.keys();
        }
        if (fresh || s == null) {
            try {
                Snapshot read = new Snapshot(now, store.findAll());
                snapshot = read;
                lastReadFailed = false;
                return read.keys();
            } catch (RuntimeException e) {
                lastReadFailed = s != null;
                throw e;
            }
        }
        Instant since = readingSince.get();
        boolean inFlight = since != null && !now.isBefore(since) && now.isBefore(since.plus(READ_TAKEOVER));
        if (inFlight || !readingSince.compareAndSet(since, now)) {
            return s.keys(); // another thread is reading (one lost or stuck for long is taken over)
        }
        if (refresher != null) {
            try {
                refresher.execute(() -> {
                    try {
                        reread(clock.instant(), s);
                    } finally {
                        readingSince.compareAndSet(now, null);
                    }
                });
                return s.keys();
            } catch (RejectedExecutionException shutDown) {
                // read here instead
            }
        }
        try {
            return reread(now, s);
        } finally {
            readingSince.compareAndSet(now, null);
        }
    }

    /**
     * Reads the key list; if the store fails, keeps {@code last} (marked read at {@code now}, so the store is
     * tried again after the refresh interval, or at the next {@link #invalidate()}) and notes the failure.
     */
    private List<SigningKey> reread(Instant now, Snapshot last) {
        try {
            Snapshot read = new Snapshot(now, store.findAll());
            Snapshot current = snapshot;
            if (current == null || !current.readAt().isAfter(now)) {
                snapshot = read; // unless a key was made (and remembered) while this read ran
            }
            lastReadFailed = false;
            return read.keys();
        } catch (RuntimeException e) {
            if (!lastReadFailed) {
                LOG.log(Level.WARNING, "cannot read the signing keys; serving the {0} read before: {1}",
                        last.keys().size(), e.getClass().getName());
            }
            lastReadFailed = true;
            List<SigningKey> kept = snapshot != null ? snapshot.keys() : last.keys();
            snapshot = new Snapshot(now, kept);
            return kept;
        }
    }

    /** The newest key of this algorithm that signs at {@code now}. */
    private Optional<SigningKey> newestSigning(List<SigningKey> keys, Instant now) {
        return keys.stream().filter(k -> k.signsAt(now) && ownAlgorithm(k))
                .max(Comparator.comparing(SigningKey::activatesAt));
    }

    private boolean ownAlgorithm(SigningKey key) {
        return algorithm.equals(KeyMaterial.algorithm(parse(key)));
    }

    private boolean needsSuccessor(List<SigningKey> keys, SigningKey current, Instant now) {
        if (now.isBefore(current.retiresAt().minus(publishLead))) {
            return false;
        }
        return keys.stream().filter(this::ownAlgorithm)
                .noneMatch(k -> k.activatesAt().isAfter(now) || k.activatesAt().isAfter(current.activatesAt()));
    }

    private SigningKey generate(Instant now, Instant activatesAt) {
        String kid = UUID.randomUUID().toString();
        JWK key = KeyMaterial.generate(algorithm, kid);
        Instant retiresAt = activatesAt.plus(keyLifetime);
        return new SigningKey(kid, key.toJSONString(), now, activatesAt, retiresAt, retiresAt.plus(tokenLifetime));
    }

    /** The key as a JWK, parsed once per key: tokens are signed and verified with it on hot paths. */
    private JWK parse(SigningKey key) {
        return parsed.computeIfAbsent(key.jwkJson(), json -> KeyMaterial.parse(key.keyId(), json));
    }
}
