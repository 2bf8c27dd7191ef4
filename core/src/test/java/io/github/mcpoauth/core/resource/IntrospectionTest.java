package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.sun.net.httpserver.HttpServer;
import io.github.mcpoauth.core.error.OAuthException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Introspection mode (RFC 7662) against a real HTTP server on a loopback port. */
class IntrospectionTest {

    private static final String TOKEN = "opaque-token-value-0123456789";
    /** Whole-exchange timeout for tests that expect an answer: far above any loopback exchange, even under load. */
    private static final Duration GENEROUS = Duration.ofSeconds(5);
    /** Whole-exchange timeout for the test that proves a stalled endpoint is cut off. */
    private static final Duration SHORT = Duration.ofMillis(500);
    /** How long a held endpoint waits at most: a safety net so that a verifier without a deadline fails, not hangs. */
    private static final long HOLD_LIMIT_SECONDS = 30;

    private MutableClock clock;
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    /** The endpoint answers only once this latch is open; open unless a test holds it. */
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CopyOnWriteArrayList<String> requests = new CopyOnWriteArrayList<>();
    private URI endpoint;

    @BeforeEach
    void start() throws IOException {
        clock = MutableClock.at("2026-01-01T10:00:00Z");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            requests.add(exchange.getRequestHeaders().getFirst("Authorization") + " | "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                hold.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    }

    @AfterEach
    void stop() {
        hold.countDown();
        server.stop(0);
    }

    private AccessTokenVerifier verifier() {
        return verifier(GENEROUS);
    }

    private AccessTokenVerifier verifier(Duration exchangeTimeout) {
        return AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .introspection(endpoint, new ClientSecretBasic(new ClientID("rs"), new Secret("rs-secret")))
                .httpTimeouts(GENEROUS, exchangeTimeout)
                .maxResponseBytes(4096)
                .build();
    }

    private String active(String extra) {
        long now = clock.instant().getEpochSecond();
        return "{\"active\":true,\"sub\":\"alice\",\"client_id\":\"client-1\",\"scope\":\"mcp tools\","
                + "\"aud\":[\"" + TestTokens.RESOURCE + "\"],\"iss\":\"" + TestTokens.ISSUER + "\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"token_type\":\"Bearer\"" + extra + "}";
    }

    private static void assertStatus(AccessTokenVerifier v, String token, int status, String code) {
        assertThatThrownBy(() -> v.verify(token)).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error().getHTTPStatusCode()).isEqualTo(status);
            assertThat(e.error().getCode()).isEqualTo(code);
        });
    }

    @Test
    void verifyWhenActiveThenPrincipalAndTheAnswerIsCached() {
        answer.set(active(",\"jti\":\"j-1\",\"gid\":\"g-1\""));
        AccessTokenVerifier v = verifier();

        AccessTokenPrincipal p = v.verify(TOKEN);
        v.verify(TOKEN);

        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.clientId()).isEqualTo("client-1");
        assertThat(p.scopes()).containsExactly("mcp", "tools");
        assertThat(p.jwtId()).contains("j-1");
        assertThat(p.grantId()).contains("g-1");
        assertThat(calls).hasValue(1);
        assertThat(requests.get(0)).startsWith("Basic ").contains("token=" + TOKEN);
    }

    @Test
    void verifyWhenCacheTtlPassesThenAskedAgain() {
        answer.set(active(""));
        AccessTokenVerifier v = verifier();
        v.verify(TOKEN);

        clock.advance(Duration.ofSeconds(61));
        v.verify(TOKEN);

        assertThat(calls).hasValue(2);
    }

    @Test
    void verifyWhenInactiveThenInvalidToken() {
        answer.set("{\"active\":false}");

        assertStatus(verifier(), TOKEN, 401, "invalid_token");
    }

    @Test
    void verifyWhenAudienceIsAnotherResourceThenInvalidToken() {
        answer.set(active("").replace(TestTokens.RESOURCE, "https://rs.example.com/other"));

        assertStatus(verifier(), TOKEN, 401, "invalid_token");
    }

    @Test
    void verifyWhenIssuerUntrustedThenInvalidToken() {
        answer.set(active("").replace(TestTokens.ISSUER, "https://evil.example.com"));

        assertStatus(verifier(), TOKEN, 401, "invalid_token");
    }

    @Test
    void verifyWhenExpiredOnOurClockThenInvalidToken() {
        answer.set(active(""));
        clock.advance(Duration.ofHours(2));

        assertStatus(verifier(), TOKEN, 401, "invalid_token");
    }

    @Test
    void verifyWhenTokenHasCharactersOutsideB64TokenThenInvalidTokenWithoutACall() {
        answer.set(active(""));

        assertStatus(verifier(), "abc def", 401, "invalid_token");
        assertStatus(verifier(), "abc\r\nX-Injected: 1", 401, "invalid_token");
        assertThat(calls).hasValue(0);
    }

    @Test
    void verifyWhenEndpointFailsThenTemporarilyUnavailable() {
        answer.set("{\"error\":\"server_error\"}");
        status.set(500);

        assertStatus(verifier(), TOKEN, 503, "temporarily_unavailable");
    }

    @Test
    void verifyWhenAnswerTooLargeThenTemporarilyUnavailable() {
        answer.set(active(",\"pad\":\"" + "x".repeat(10_000) + "\""));

        assertStatus(verifier(), TOKEN, 503, "temporarily_unavailable");
    }

    @Test
    void verifyWhenEndpointTooSlowThenTemporarilyUnavailable() {
        // A valid, active answer: only the deadline can turn it into 503. The endpoint holds the answer until
        // the latch opens (after the verifier gave up); without a deadline it would answer after
        // HOLD_LIMIT_SECONDS and the verification would succeed, failing this test.
        answer.set(active(""));
        hold = new CountDownLatch(1);
        try {
            assertStatus(verifier(SHORT), TOKEN, 503, "temporarily_unavailable");
        } finally {
            hold.countDown();
        }
    }
}
