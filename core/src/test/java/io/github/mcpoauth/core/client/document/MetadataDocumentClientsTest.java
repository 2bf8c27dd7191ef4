package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decorator against a real HTTPS server on 127.0.0.1 with a certificate for {@code client.test}. The names
 * resolve through a {@link FakeResolver}, and an explicit test-only {@link AddressPolicy} lets the fetcher reach
 * loopback; {@link MetadataDocumentClientsSsrfTest} covers the production policy.
 */
class MetadataDocumentClientsTest {

    @TempDir
    static Path dir;
    static TestTls tls;
    static DocumentServer server;

    /** Test only: production refuses loopback (see {@link AddressPolicy#publicOnly()}). */
    static final AddressPolicy LOOPBACK_FOR_TESTS = address -> address.isLoopbackAddress();

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeResolver resolver = new FakeResolver().map("client.test", "127.0.0.1").map("other.test", "127.0.0.1");
    final ClientStore local = InMemoryStores.create(clock).clients();
    final AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer("https://as.example")
            .scopes(Set.of("mcp", "files:read")).clock(clock).build();

    @BeforeAll
    static void startServer() throws Exception {
        tls = TestTls.create(dir);
        server = new DocumentServer(tls.server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    MetadataDocumentClients.Builder clients() {
        return MetadataDocumentClients.builder().delegate(local).settings(settings).resolver(resolver)
                .addressPolicy(LOOPBACK_FOR_TESTS).sslContext(tls.client).timeout(Duration.ofSeconds(5));
    }

    static String url(String path) {
        return server.url("client.test", path);
    }

    static String document(String clientId) {
        return new JSONObject(ClientDocumentsTest.document(clientId)).toJSONString();
    }

    static Optional<RegisteredClient> find(ClientStore store, String id) {
        return store.findById(new ClientID(id));
    }

    @Test
    void whenDocumentIsValidThenTheClientIsKnownAndPublic() {
        String id = url("/app.json");
        server.json("/app.json", document(id));

        RegisteredClient client = find(clients().build(), id).orElseThrow();

        assertThat(client.clientId().getValue()).isEqualTo(id);
        assertThat(client.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        assertThat(client.redirectUris()).contains(URI.create("http://127.0.0.1:3000/callback"));
        assertThat(client.grantTypes()).containsExactly(GrantType.AUTHORIZATION_CODE);
        assertThat(client.clientName()).contains("Example MCP Client");
        assertThat(client.issuedAt()).isEqualTo(clock.instant());
        assertThat(server.hits("/app.json")).isEqualTo(1);
    }

    @Test
    void whenDocumentIsFetchedThenTheRequestIsAPlainGetNamingTheHost() {
        String id = url("/app.json");
        AtomicReference<String> seen = new AtomicReference<>();
        server.route("/app.json", exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host="
                    + exchange.getRequestHeaders().getFirst("Host") + " Accept="
                    + exchange.getRequestHeaders().getFirst("Accept"));
            DocumentServer.respond(exchange, 200, "application/json", document(id), false);
        });

        assertThat(find(clients().build(), id)).isPresent();
        assertThat(seen.get())
                .isEqualTo("GET /app.json Host=client.test:" + server.port() + " Accept=application/json");
    }

    @Test
    void whenLookedUpAgainThenServedFromTheCache() {
        String id = url("/app.json");
        server.json("/app.json", document(id));
        MetadataDocumentClients clients = clients().build();

        assertThat(find(clients, id)).isPresent();
        assertThat(find(clients, id)).isPresent();
        assertThat(find(clients, id)).isPresent();
        assertThat(server.hits("/app.json")).isEqualTo(1);
    }

    @Test
    void whenResponseHasNoCachingHeadersThenCachedForTheDefaultHour() {
        String id = url("/app.json");
        server.json("/app.json", document(id));
        MetadataDocumentClients clients = clients().build();
        find(clients, id);

        clock.advance(Duration.ofMinutes(59));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        assertThat(find(clients, id)).isPresent();
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenMaxAgeIsBelowTheMinimumThenCachedForTheMinimum() {
        String id = url("/app.json");
        server.json("/app.json", document(id), "Cache-Control", "max-age=60");
        MetadataDocumentClients clients = clients().build();
        find(clients, id);

        clock.advance(Duration.ofMinutes(4));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenMaxAgeIsAboveTheMaximumThenCachedForTheMaximum() {
        String id = url("/app.json");
        server.json("/app.json", document(id), "Cache-Control", "public, max-age=31536000");
        MetadataDocumentClients clients = clients().build();
        find(clients, id);

        clock.advance(Duration.ofHours(23));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenMaxAgeIsWithinBoundsThenItIsHonoured() {
        String id = url("/app.json");
        server.json("/app.json", document(id), "Cache-Control", "max-age=7200");
        MetadataDocumentClients clients = clients().build();
        find(clients, id);

        clock.advance(Duration.ofMinutes(119));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenResponseSaysNoStoreThenCachedOnlyForTheMinimum() {
        String id = url("/app.json");
        server.json("/app.json", document(id), "Cache-Control", "no-store");
        MetadataDocumentClients clients = clients().minCacheLifetime(Duration.ofMinutes(1)).build();
        find(clients, id);

        clock.advance(Duration.ofSeconds(61));
        find(clients, id);
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenFetchFailsThenTheFailureIsNotCached() {
        String id = url("/app.json");
        MetadataDocumentClients clients = clients().build();

        assertThat(find(clients, id)).isEmpty();
        server.json("/app.json", document(id));
        assertThat(find(clients, id)).isPresent();
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenDocumentIsInvalidThenItIsNotCached() {
        String id = url("/app.json");
        server.json("/app.json", document(url("/other.json")));
        MetadataDocumentClients clients = clients().build();

        assertThat(find(clients, id)).isEmpty();
        server.json("/app.json", document(id));
        assertThat(find(clients, id)).isPresent();
        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenClientIdInTheDocumentDiffersFromTheUrlThenRefused() {
        String id = url("/app.json");
        for (String claimed : List.of(id + "/", server.url("other.test", "/app.json"), url("/App.json"),
                url("/app.json").replace("client.test", "Client.test"))) {
            server.json("/app.json", document(claimed));
            assertThat(find(clients().build(), id)).as(claimed).isEmpty();
        }
    }

    @Test
    void whenServerRedirectsThenRefusedAndTheTargetIsNeverFetched() {
        String id = url("/app.json");
        server.json("/moved.json", document(id));
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            server.route("/app.json", exchange -> DocumentServer.respond(exchange, status, null, "", false,
                    "Location", url("/moved.json")));
            assertThat(find(clients().build(), id)).as("status " + status).isEmpty();
        }
        assertThat(server.hits("/app.json")).isEqualTo(5);
        assertThat(server.hits("/moved.json")).isZero();
    }

    @Test
    void whenRedirectPointsAtTheCloudMetadataAddressThenNothingFollowsIt() {
        String id = url("/app.json");
        server.route("/app.json", exchange -> DocumentServer.respond(exchange, 302, null, "", false,
                "Location", "https://169.254.169.254/latest/meta-data/"));

        assertThat(find(clients().addressPolicy(address -> true).build(), id)).isEmpty();
        assertThat(resolver.asked).containsExactly("client.test");
    }

    @Test
    void whenStatusIsNot200ThenRefused() {
        String id = url("/app.json");
        for (int status : new int[] {201, 203, 204, 404, 500, 503}) {
            server.route("/app.json", exchange -> DocumentServer.respond(exchange, status, "application/json",
                    status == 204 ? "" : document(id), false));
            assertThat(find(clients().build(), id)).as("status " + status).isEmpty();
        }
    }

    @Test
    void whenContentTypeIsNotJsonThenRefused() {
        String id = url("/app.json");
        for (String type : new String[] {"text/html", "text/plain", "application/jsonx", "application/javascript",
            null}) {
            server.route("/app.json", exchange -> DocumentServer.respond(exchange, 200, type, document(id), false));
            assertThat(find(clients().build(), id)).as(String.valueOf(type)).isEmpty();
        }
    }

    @Test
    void whenContentTypeIsJsonWithParametersOrASuffixThenAccepted() {
        String id = url("/app.json");
        for (String type : new String[] {"application/json; charset=utf-8", "Application/JSON",
            "application/oauth-client-metadata+json"}) {
            server.route("/app.json", exchange -> DocumentServer.respond(exchange, 200, type, document(id), false));
            assertThat(find(clients().build(), id)).as(type).isPresent();
        }
    }

    @Test
    void whenDocumentIsLargerThanTheLimitThenRefused() {
        String id = url("/app.json");
        String big = padded(id, MetadataDocumentClients.DEFAULT_MAX_DOCUMENT_SIZE + 1);
        server.json("/app.json", big);

        assertThat(find(clients().build(), id)).isEmpty();
    }

    @Test
    void whenOversizedDocumentIsChunkedThenRefused() {
        String id = url("/app.json");
        String big = padded(id, 64 * 1024);
        server.route("/app.json", exchange -> DocumentServer.respond(exchange, 200, "application/json", big, true));

        assertThat(find(clients().build(), id)).isEmpty();
    }

    @Test
    void whenDocumentIsExactlyAtTheLimitThenAccepted() {
        String id = url("/app.json");
        server.route("/app.json", exchange -> DocumentServer.respond(exchange, 200, "application/json",
                padded(id, MetadataDocumentClients.DEFAULT_MAX_DOCUMENT_SIZE), true));

        assertThat(find(clients().build(), id)).isPresent();
    }

    @Test
    void whenServerIsSlowToAnswerThenRefusedWithinTheTimeout() {
        String id = url("/app.json");
        server.route("/app.json", exchange -> {
            sleep(5_000);
            DocumentServer.respond(exchange, 200, "application/json", document(id), false);
        });

        long start = System.nanoTime();
        assertThat(find(clients().timeout(Duration.ofMillis(400)).build(), id)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void whenServerTricklesTheBodyThenTheTotalDeadlineCutsItOff() {
        String id = url("/app.json");
        byte[] body = document(id).getBytes(StandardCharsets.UTF_8);
        server.route("/app.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    sleep(50);
                }
            }
        });

        long start = System.nanoTime();
        assertThat(find(clients().timeout(Duration.ofMillis(800)).build(), id)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void whenCertificateDoesNotNameTheHostThenRefused() {
        resolver.map("wrong.test", "127.0.0.1");
        String id = server.url("wrong.test", "/app.json");
        server.json("/app.json", document(id));

        assertThat(find(clients().build(), id)).isEmpty();
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenCertificateIsNotTrustedThenRefused() {
        String id = url("/app.json");
        server.json("/app.json", document(id));

        MetadataDocumentClients withJvmTrust = MetadataDocumentClients.builder().delegate(local).settings(settings)
                .resolver(resolver).addressPolicy(LOOPBACK_FOR_TESTS).build();

        assertThat(find(withJvmTrust, id)).isEmpty();
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenHostDoesNotResolveThenNoClient() {
        assertThat(find(clients().build(), server.url("nowhere.test", "/app.json"))).isEmpty();
        assertThat(resolver.asked).containsExactly("nowhere.test");
    }

    @Test
    void whenHostLookupHangsThenRefusedWithinTheTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        HostResolver hanging = host -> {
            awaitLikeTheJvmResolver(release);
            return resolver.resolve(host);
        };
        try {
            long start = System.nanoTime();
            assertThat(find(clients().resolver(hanging).timeout(Duration.ofMillis(400)).build(), url("/app.json")))
                    .isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        } finally {
            release.countDown();
        }
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenAbandonedLookupsFillTheLookupPoolThenFurtherFetchesAreRefusedNotQueued() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        HostResolver hanging = host -> {
            lookups.incrementAndGet();
            awaitLikeTheJvmResolver(release);
            return resolver.resolve(host);
        };
        try {
            MetadataDocumentClients clients = clients().resolver(hanging).timeout(Duration.ofMillis(200))
                    .maxConcurrentFetches(1).build();

            assertThat(find(clients, url("/one.json"))).isEmpty();
            assertThat(find(clients, url("/two.json"))).isEmpty();

            assertThat(lookups).hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void whenLookupsFollowEachOtherWithOneSlotThenEveryOneRuns() {
        MetadataDocumentClients clients = clients().maxConcurrentFetches(1).build();

        for (int i = 0; i < 200; i++) {
            assertThat(find(clients, server.url("nowhere-" + i + ".test", "/app.json"))).isEmpty();
        }

        assertThat(resolver.asked).hasSize(200);
        String id = url("/app.json");
        server.json("/app.json", document(id));
        assertThat(find(clients, id)).isPresent();
    }

    @Test
    void whenIdIsNotAUrlThenOnlyTheWrappedStoreAnswers() {
        RegisteredClient registered = registered("dcr-client-1");
        local.save(registered);
        MetadataDocumentClients clients = clients().build();

        assertThat(find(clients, "dcr-client-1")).contains(registered);
        assertThat(find(clients, "unknown")).isEmpty();
        assertThat(find(clients, "http://client.test/app.json")).isEmpty();
        assertThat(resolver.asked).isEmpty();
    }

    @Test
    void whenUrlIsMalformedThenNoClientAndNothingIsResolved() {
        MetadataDocumentClients clients = clients().build();

        assertThat(find(clients, "https://client.test")).isEmpty();
        assertThat(find(clients, url("/app.json?x=1"))).isEmpty();
        assertThat(find(clients, url("/a/../app.json"))).isEmpty();
        assertThat(find(clients, "https://user@client.test/app.json")).isEmpty();
        assertThat(resolver.asked).isEmpty();
    }

    @Test
    void whenUrlIsPreRegisteredInTheWrappedStoreThenItWinsAndNothingIsFetched() {
        String id = url("/app.json");
        server.json("/app.json", document(id));
        MetadataDocumentClients clients = clients().build();
        RegisteredClient preRegistered = registered(id);
        clients.save(preRegistered);

        assertThat(find(clients, id)).contains(preRegistered);
        assertThat(server.hits("/app.json")).isZero();
        assertThat(find(local, id)).contains(preRegistered);
    }

    @Test
    void whenDeletedThenTheDocumentIsFetchedAfresh() {
        String id = url("/app.json");
        server.json("/app.json", document(id));
        MetadataDocumentClients clients = clients().build();
        find(clients, id);

        clients.delete(new ClientID(id));
        find(clients, id);

        assertThat(server.hits("/app.json")).isEqualTo(2);
    }

    @Test
    void whenCachedDocumentExpiresAndItsHostNowFailsThenTheClientIsGone() {
        String id = url("/app.json");
        server.json("/app.json", document(id));
        MetadataDocumentClients clients = clients().build();
        assertThat(find(clients, id)).isPresent();

        server.route("/app.json", exchange -> DocumentServer.respond(exchange, 410, null, "", false));
        clock.advance(Duration.ofHours(2));

        assertThat(find(clients, id)).isEmpty();
    }

    @Test
    void whenManyLookUpsOfOneUrlRaceThenOneFetchServesThemAll() throws Exception {
        String id = url("/app.json");
        server.route("/app.json", exchange -> {
            sleep(300);
            DocumentServer.respond(exchange, 200, "application/json", document(id), false);
        });
        MetadataDocumentClients clients = clients().build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<RegisteredClient>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return find(clients, id);
                }));
            }
            start.countDown();
            for (Future<Optional<RegisteredClient>> r : results) {
                assertThat(r.get(5, TimeUnit.SECONDS)).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.hits("/app.json")).isEqualTo(1);
    }

    @Test
    void whenTooManyFetchesAreUnderWayThenAFurtherOneFindsNoClient() throws Exception {
        String slow = url("/slow.json");
        String other = url("/other.json");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        server.route("/slow.json", exchange -> {
            arrived.countDown();
            await(release);
            DocumentServer.respond(exchange, 200, "application/json", document(slow), false);
        });
        server.json("/other.json", document(other));
        MetadataDocumentClients clients = clients().maxConcurrentFetches(1).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<RegisteredClient>> first = pool.submit(() -> find(clients, slow));
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(find(clients, other)).isEmpty();
            assertThat(server.hits("/other.json")).isZero();

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isPresent();
            assertThat(find(clients, other)).isPresent();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void whenDocumentIsFetchedThenNoUrlInsideItIsFetched() {
        String id = url("/app.json");
        Map<String, Object> doc = ClientDocumentsTest.document(id);
        doc.put("logo_uri", url("/logo.png"));
        doc.put("client_uri", url("/home"));
        doc.put("jwks_uri", url("/jwks.json"));
        server.json("/app.json", new JSONObject(doc).toJSONString());

        assertThat(find(clients().build(), id)).isPresent();
        assertThat(server.hits("/logo.png") + server.hits("/home") + server.hits("/jwks.json")).isZero();
    }

    /** A valid document for {@code id}, padded with an ignored member to exactly {@code size} bytes. */
    static String padded(String id, int size) {
        Map<String, Object> doc = ClientDocumentsTest.document(id);
        doc.put("x_padding", "");
        int base = new JSONObject(doc).toJSONString().getBytes(StandardCharsets.UTF_8).length;
        doc.put("x_padding", "p".repeat(size - base));
        String json = new JSONObject(doc).toJSONString();
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return json;
    }

    static RegisteredClient registered(String id) {
        return new RegisteredClient(new ClientID(id), Optional.empty(), ClientAuthenticationMethod.NONE,
                List.of(URI.create("https://registered.example/cb")), Set.of(GrantType.AUTHORIZATION_CODE), Set.of(),
                Optional.of("Registered"), "{}", Instant.parse("2025-01-01T00:00:00Z"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to 10 s for {@code latch}, deaf to interrupts as a JVM host name lookup is. */
    static void awaitLikeTheJvmResolver(CountDownLatch latch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
