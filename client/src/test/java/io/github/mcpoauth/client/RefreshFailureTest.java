package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpExchange;

/**
 * A refresh that fails in passing (a 503 during a server store outage, a timeout) keeps the refresh token; only a
 * refused grant ({@code invalid_grant}) or client ({@code invalid_client}) makes the client start over.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RefreshFailureTest {

    private FakeServer server;
    private final TokenStore store = TokenStore.inMemory();
    private final AtomicBoolean failRefresh = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private McpOAuthClient.Builder client() {
        return McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser()).tokenStore(store)
                .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30));
    }

    /** Answers every token request with {@code status} and {@code body} while {@link #failRefresh} is set. */
    private void tokenEndpointFails(int status, String body) {
        server.overrides.put("/token", ex -> {
            if (!failRefresh.get()) {
                return false;
            }
            drain(ex);
            send(ex, status, body);
            return true;
        });
    }

    @Test
    void whenRefreshMeetsA503ThenTokensAreKeptAndTheNextTryRefreshesWithoutALogin() throws Exception {
        McpOAuthClient client = client().build();
        server.call(client);
        server.issued.clear(); // the MCP server rejects the access token: the client must refresh
        tokenEndpointFails(503, "{\"error\":\"temporarily_unavailable\"}");
        failRefresh.set(true);

        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("503")
                .satisfies(e -> assertThat(((ClientAuthorizationException) e).httpStatus()).hasValue(503));

        assertThat(store.tokens(server.mcp().toString()))
                .hasValueSatisfying(t -> assertThat(t.refreshToken()).contains("rt-1"));
        failRefresh.set(false);
        assertThat(server.call(client)).isEqualTo(200);
        assertThat(server.lastTokenForm).contains("grant_type=refresh_token", "refresh_token=rt-1");
        assertThat(server.authorizeRequests).hasValue(1);
    }

    @Test
    void whenRefreshTimesOutThenTokensAreKept() throws Exception {
        McpOAuthClient client = client().requestTimeout(Duration.ofSeconds(2)).build();
        server.call(client);
        server.issued.clear();
        server.overrides.put("/token", server::stall);

        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("did not answer within");

        assertThat(store.tokens(server.mcp().toString()))
                .hasValueSatisfying(t -> assertThat(t.refreshToken()).contains("rt-1"));
        assertThat(server.authorizeRequests).hasValue(1);
    }

    @Test
    void whenRefreshAheadOfExpiryMeetsA503ThenTheStillValidTokenIsUsed() throws Exception {
        McpOAuthClientTest.MutableClock clock =
                new McpOAuthClientTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        McpOAuthClient client = client().clock(clock).build();
        server.call(client);
        String first = client.authorizationHeader().orElseThrow();
        tokenEndpointFails(503, "");
        failRefresh.set(true);
        clock.advance(Duration.ofSeconds(3590));

        assertThat(client.authorizationHeader()).contains(first);

        assertThat(store.tokens(server.mcp().toString()))
                .hasValueSatisfying(t -> assertThat(t.refreshToken()).contains("rt-1"));
    }

    @Test
    void whenRefreshIsInvalidClientThenTheRegistrationIsForgottenAndTheClientRegistersAgain() throws Exception {
        AtomicInteger registrations = new AtomicInteger();
        server.overrides.put("/register", ex -> {
            registrations.incrementAndGet();
            return false;
        });
        McpOAuthClient client = client().build();
        server.call(client);
        server.issued.clear();
        tokenEndpointFails(401, "{\"error\":\"invalid_client\"}");
        failRefresh.set(true);
        server.overrides.put("/authorize", ex -> {
            failRefresh.set(false); // the server knows the new registration
            return false;
        });

        assertThat(server.call(client)).isEqualTo(200);

        assertThat(registrations).hasValue(2);
        assertThat(server.authorizeRequests).hasValue(2);
    }

    private static void drain(HttpExchange ex) {
        try {
            ex.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange ex, int status, String body) {
        try {
            FakeServer.send(ex, status, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
