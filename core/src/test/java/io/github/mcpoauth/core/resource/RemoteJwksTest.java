package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.github.mcpoauth.core.error.OAuthException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Remote JWKS mode against a real HTTP server on a loopback port. */
class RemoteJwksTest {

    private MutableClock clock;
    private TestTokens tokens;
    private HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> override = new AtomicReference<>();
    private URI jwksUri;

    @BeforeEach
    void start() throws IOException {
        clock = MutableClock.at("2026-01-01T10:00:00Z");
        tokens = new TestTokens(clock);
        published.add(tokens.key.toPublicJWK());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            String body = override.get() != null ? override.get() : new JWKSet(published).toString();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        jwksUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AccessTokenVerifier.Builder verifier() {
        return AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .remoteJwks(jwksUri)
                .httpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void verifyWhenKeyPublishedThenAcceptedAndKeySetFetchedOnce() {
        AccessTokenVerifier v = verifier().cacheMaximumSize(0).build();

        v.verify(tokens.token());
        v.verify(tokens.token());

        assertThat(fetches).hasValue(1);
    }

    @Test
    void verifyWhenKeyRotatedThenUnknownKidTriggersARefetch() {
        AccessTokenVerifier v = verifier().jwksCache(Duration.ofMinutes(5), Duration.ofMillis(1)).build();
        v.verify(tokens.token());
        ECKey next = TestTokens.newKey("key-2");
        published.add(next.toPublicJWK());

        String rotated = TestTokens.sign(tokens.header().keyID("key-2").build(), tokens.claims().build(), next);

        assertThat(v.verify(rotated).subject()).isEqualTo("alice");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void verifyWhenUnknownKidsRepeatThenRefetchesAreRateLimited() {
        AccessTokenVerifier v = verifier().build();
        v.verify(tokens.token());

        for (int i = 0; i < 20; i++) {
            ECKey attacker = TestTokens.newKey("forged-" + i);
            String forged = TestTokens.sign(tokens.header().keyID("forged-" + i).build(), tokens.claims().build(),
                    attacker);
            assertThatThrownBy(() -> v.verify(forged)).isInstanceOfSatisfying(OAuthException.class,
                    e -> assertThat(e.error().getCode()).isEqualTo("invalid_token"));
        }

        assertThat(fetches.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void verifyWhenKeySetUnreachableThenTemporarilyUnavailable() {
        server.stop(0);
        AccessTokenVerifier v = verifier().build();

        assertThatThrownBy(() -> v.verify(tokens.token())).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getHTTPStatusCode()).isEqualTo(503));
    }

    @Test
    void verifyWhenKeySetLargerThanTheLimitThenTemporarilyUnavailable() {
        override.set("{\"keys\":[],\"pad\":\"" + "x".repeat(5000) + "\"}");
        AccessTokenVerifier v = verifier().maxResponseBytes(2048).build();

        assertThatThrownBy(() -> v.verify(tokens.token())).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getHTTPStatusCode()).isEqualTo(503));
    }

    @Test
    void builderWhenJwksUrlIsPlainHttpOnAPublicHostThenFailsNamingTheField() {
        assertThatThrownBy(() -> AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .remoteJwks(URI.create("http://as.example.com/jwks")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("remoteJwks");
    }

    @Test
    void builderWhenTwoSourcesThenFailsNamingTheFirst() {
        assertThatThrownBy(() -> verifier().localKeys(tokens::publicJwks))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("remoteJwks");
    }

    @Test
    void builderWhenNoSourceThenFails() {
        assertThatThrownBy(() -> AccessTokenVerifier.builder(TestTokens.settings(clock).build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token source");
    }
}
