package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole client against {@link FakeServer} over real HTTP: the happy path, refresh, step-up. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class McpOAuthClientTest {

    private FakeServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private McpOAuthClient.Builder client() {
        return McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30));
    }

    @Test
    void whenServerAnswers401ThenClientDiscoversRegistersAuthorizesAndRetries() throws Exception {
        McpOAuthClient client = client().build();

        assertThat(server.call(client)).isEqualTo(200);

        assertThat(server.authorizeRequests).hasValue(1);
        assertThat(server.lastAuthorizeQuery).contains("code_challenge_method=S256", "state=",
                "resource=" + java.net.URLEncoder.encode(server.base + "/mcp", java.nio.charset.StandardCharsets.UTF_8),
                "scope=mcp", "redirect_uri=http%3A%2F%2F127.0.0.1%3A");
        assertThat(server.lastTokenForm).contains("grant_type=authorization_code", "code_verifier=", "resource=");
        assertThat(client.authorizationHeader()).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer at-"));
    }

    @Test
    void whenTokenIsAboutToExpireThenItIsRefreshedBeforeUse() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        McpOAuthClient client = client().clock(clock).build();
        server.call(client);
        String first = client.authorizationHeader().orElseThrow();

        clock.advance(Duration.ofSeconds(3590));
        String second = client.authorizationHeader().orElseThrow();

        assertThat(second).isNotEqualTo(first);
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(server.lastTokenForm).contains("grant_type=refresh_token", "refresh_token=rt-1");
        assertThat(server.call(client)).isEqualTo(200);
        assertThat(server.authorizeRequests).hasValue(1);
    }

    @Test
    void whenRefreshIsRefusedThenClientAuthorizesAgain() throws Exception {
        McpOAuthClient client = client().build();
        server.call(client);
        server.issued.clear();
        server.overrides.put("/token", ex -> {
            String grantType = LoopbackReceiver.query(new String(readAll(ex), java.nio.charset.StandardCharsets.UTF_8))
                    .get("grant_type");
            if ("refresh_token".equals(grantType)) {
                server.refreshRequests.incrementAndGet();
                sendQuietly(ex, 400, "{\"error\":\"invalid_grant\"}");
                return true;
            }
            server.issued.put("at-again", java.util.Set.of("mcp"));
            sendQuietly(ex, 200, "{\"access_token\":\"at-again\",\"token_type\":\"Bearer\"}");
            return true;
        });

        assertThat(server.call(client)).isEqualTo(200);

        assertThat(server.refreshRequests).hasValue(1);
        assertThat(server.authorizeRequests).hasValue(2);
        assertThat(client.authorizationHeader()).contains("Bearer at-again");
        assertThat(client.authorizationHeaders("POST", server.mcp())).containsOnlyKeys("Authorization");
    }

    private static byte[] readAll(com.sun.net.httpserver.HttpExchange ex) {
        try {
            return ex.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sendQuietly(com.sun.net.httpserver.HttpExchange ex, int status, String body) {
        try {
            FakeServer.send(ex, status, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void whenAccessTokenIsRejectedThenConcurrentCallersShareOneRefresh() throws Exception {
        McpOAuthClient client = client().build();
        server.call(client);
        server.issued.clear(); // the server forgets every access token: each caller gets 401 invalid_token
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit((Callable<Integer>) () -> {
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
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(server.authorizeRequests).hasValue(1);
    }

    @Test
    void whenScopeIsInsufficientThenClientStepsUpWithTheUnion() throws Exception {
        McpOAuthClient client = client().build();
        server.call(client);
        server.required = java.util.Set.of("mcp", "tools:write");

        assertThat(server.call(client)).isEqualTo(200);

        assertThat(server.authorizeRequests).hasValue(2);
        assertThat(server.lastAuthorizeQuery).contains("scope=mcp+tools%3Awrite");
    }

    @Test
    void whenStepUpNeverSucceedsThenClientGivesUpAfterThreeAuthorizations() throws Exception {
        McpOAuthClient client = client().build();
        // the server demands a scope the authorization server never grants
        server.redirectTamper = q -> "code=c&state=" + q.get("state") + "&iss=" + server.base;
        server.required = java.util.Set.of("admin");
        server.overrides.put("/token", ex -> {
            try {
                server.tokenRequests.incrementAndGet();
                String access = "at-" + server.tokenRequests.get();
                server.issued.put(access, java.util.Set.of("mcp"));
                FakeServer.send(ex, 200,
                        "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"scope\":\"admin\"}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return true;
        });

        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("insufficient_scope");
        assertThat(server.authorizeRequests).hasValue(McpOAuthClient.MAX_ATTEMPTS);
    }

    @Test
    void whenRegistrationIsHeldThenItIsReusedForTheSameIssuerOnly() throws Exception {
        TokenStore store = TokenStore.inMemory();
        server.call(client().tokenStore(store).build());
        AtomicReference<String> registrations = new AtomicReference<>("");
        server.overrides.put("/register", ex -> {
            registrations.set("again");
            return false;
        });
        store.removeTokens(server.mcp().toString());

        server.call(client().tokenStore(store).build());

        assertThat(registrations.get()).isEmpty();
        assertThat(store.client(server.base)).hasValueSatisfying(c -> assertThat(c.clientId()).isEqualTo("c1"));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
