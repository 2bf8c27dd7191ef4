package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that never accepts what the client obtains cannot drive it round forever: at most
 * {@link McpOAuthClient#MAX_ATTEMPTS} authorizations, and as many {@code use_dpop_nonce} retries, per operation.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AttemptBoundsTest {

    @Test
    void whenServerAlwaysAnswers401ThenClientGivesUpAfterMaxAttemptsBrowserLogins() throws Exception {
        try (FakeServer server = new FakeServer()) {
            String prm = server.base + "/.well-known/oauth-protected-resource/mcp";
            server.overrides.put("/mcp", ex -> {
                ex.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer error=\"invalid_token\", resource_metadata=\"" + prm + "\"");
                send(ex, 401, "{}");
                return true;
            });
            server.overrides.put("/token", ex -> {
                String form = read(ex);
                server.tokenRequests.incrementAndGet();
                if (form.contains("grant_type=refresh_token")) {
                    send(ex, 400, "{\"error\":\"invalid_grant\"}");
                } else {
                    send(ex, 200, "{\"access_token\":\"at-" + server.tokenRequests.get()
                            + "\",\"token_type\":\"Bearer\",\"refresh_token\":\"rt\"}");
                }
                return true;
            });
            McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                    .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30)).build();

            assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                    .hasMessageContaining("still answers 401");

            assertThat(server.authorizeRequests).hasValue(McpOAuthClient.MAX_ATTEMPTS);
        }
    }

    @Test
    void whenRefreshedTokensAreAlwaysRejectedThenClientGivesUpAfterMaxAttempts() throws Exception {
        try (FakeServer server = new FakeServer()) {
            McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                    .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30)).build();
            server.call(client);
            server.overrides.put("/mcp", ex -> {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                send(ex, 401, "{}");
                return true;
            });

            assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                    .hasMessageContaining("still answers 401");

            // the login, then refreshes: the login's token was rejected at once, so the operation went on
            assertThat(server.tokenRequests).hasValue(McpOAuthClient.MAX_ATTEMPTS);
            assertThat(server.authorizeRequests).hasValue(1);
        }
    }

    @Test
    void whenResourceServerAlwaysAsksForANonceThenClientGivesUpUntilTheNextOperation() {
        McpOAuthClientTest.MutableClock clock =
                new McpOAuthClientTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        McpOAuthClient client = McpOAuthClient.builder(URI.create("http://127.0.0.1:9/mcp")).dpop(true).clock(clock)
                .build();
        HttpHeaders answer = HttpHeaders.of(Map.of("WWW-Authenticate", List.of("DPoP error=\"use_dpop_nonce\""),
                "DPoP-Nonce", List.of("n1")), (a, b) -> true);
        Optional<String> sent = Optional.of("DPoP token-1");

        for (int i = 0; i < McpOAuthClient.MAX_ATTEMPTS; i++) {
            assertThat(client.handleAuthorizationError(401, answer, sent)).isTrue();
        }
        assertThatThrownBy(() -> client.handleAuthorizationError(401, answer, sent))
                .isInstanceOf(ClientAuthorizationException.class).hasMessageContaining("use_dpop_nonce");

        clock.advance(Duration.ofMinutes(2)); // a later operation gets its own retries
        assertThat(client.handleAuthorizationError(401, answer, sent)).isTrue();
        assertThat(client.handleAuthorizationError(401, answer, Optional.of("DPoP token-2"))).isTrue();
    }

    @Test
    void whenCallersStartTogetherWithoutATokenThenTheyShareOneLogin() throws Exception {
        try (FakeServer server = new FakeServer()) {
            McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                    .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30)).build();
            int callers = 6;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return server.call(client);
                    }));
                }
                go.countDown();
                for (Future<Integer> r : results) {
                    assertThat(r.get(1, TimeUnit.MINUTES)).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.authorizeRequests).hasValue(1);
        }
    }

    private static String read(com.sun.net.httpserver.HttpExchange ex) {
        try {
            return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String body) {
        try {
            FakeServer.send(ex, status, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
