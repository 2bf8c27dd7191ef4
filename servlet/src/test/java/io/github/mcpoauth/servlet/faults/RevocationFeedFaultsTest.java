package io.github.mcpoauth.servlet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The revocation feed when the database goes away (issue 13, item 3), two Jetty nodes on a PostgreSQL of their own
 * that the test stops or freezes: node B answers a known token from memory for at most the staleness bound (1 s)
 * after the fault, then 503 (never 401, never a stale 200); once the database is back, a grant revoked on A is
 * refused on B within the bound, and live tokens work again, without a restart.
 */
@Timeout(240)
class RevocationFeedFaultsTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private static FaultyPostgres postgres;

    private TestServer a;
    private TestServer b;
    private final Browser browser = new Browser();
    private McpClient client;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = FaultyPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private TestServer node(DataSource database, URI issuer) throws Exception {
        return TestServer.builder()
                .stores(JdbcStores.newBuilder(database, Clock.systemUTC()).queryTimeout(Duration.ofSeconds(2))
                        .build().stores())
                .issuer(issuer)
                .servlet("/mcp", base -> new StoreFaultsTest.PrincipalEcho())
                .oauth(o -> o.rateLimits(RateLimits.none()))
                .start();
    }

    /** Tokens of two grants of alice, both seen by B's guard: the first to revoke, the second to keep. */
    private String[][] twoGrantsKnownToB() throws Exception {
        DataSource database = postgres.newDatabase();
        JdbcStores.newBuilder(database, Clock.systemUTC()).build().migrate();
        a = node(database, null);
        b = node(database, a.baseUri());
        client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        String[][] tokens = new String[2][];
        for (int i = 0; i < 2; i++) {
            McpClient.Pkce pkce = McpClient.pkce();
            URI callback = client.authorize(pkce, "s" + i, "alice");
            HttpResponse<String> r = client.redeem(Browser.query(callback).get("code"), pkce.verifier());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            var json = McpClient.json(r);
            tokens[i] = new String[] {json.get("access_token").asText(), json.get("refresh_token").asText()};
            assertThat(callMcp(b, tokens[i][0]).statusCode()).isEqualTo(200);
        }
        return tokens;
    }

    private HttpResponse<String> callMcp(TestServer node, String accessToken) throws Exception {
        return browser.http().send(HttpRequest.newBuilder(node.uri("/mcp")).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Calls B with a known token from {@code faultAt} on: 200 (from memory) or 503, never 401; and a call begun
     * later than the bound after the fault is 503: the cache no longer trusts itself.
     */
    private void assertBFailsSafe(String accessToken, long faultAt) throws Exception {
        while (true) {
            long start = System.nanoTime();
            HttpResponse<String> r = callMcp(b, accessToken);
            assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
            if (start - faultAt > BOUND.toNanos()) {
                assertThat(r.statusCode()).as("a call begun %d ms after the fault",
                        Duration.ofNanos(start - faultAt).toMillis()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                return;
            }
            Thread.sleep(50);
        }
    }

    /** Once the database is back: revoke the first grant on A, B refuses it within the bound; the second works. */
    private void assertRecoveredAndRevocationReachesB(String[][] tokens) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> revoke;
        do { // A's pool replaces its broken connections; until then 503
            revoke = client.authenticated(a.uri("/oauth2/revoke"), Map.of("token", List.of(tokens[0][1])));
        } while (revoke.statusCode() == 503 && System.nanoTime() < deadline);
        long revokedAt = System.nanoTime();
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);

        long lastAccepted = revokedAt;
        HttpResponse<String> r;
        do {
            long start = System.nanoTime();
            r = callMcp(b, tokens[0][0]);
            if (r.statusCode() == 200) {
                lastAccepted = start;
            }
        } while (r.statusCode() != 401 && System.nanoTime() < deadline);
        assertThat(r.statusCode()).as("B refuses the revoked grant").isEqualTo(401);
        assertThat(Duration.ofNanos(lastAccepted - revokedAt)).as("last acceptance after the revocation")
                .isLessThanOrEqualTo(BOUND);
        do {
            r = callMcp(b, tokens[1][0]);
        } while (r.statusCode() == 503 && System.nanoTime() < deadline);
        assertThat(r.statusCode()).as("the live grant on B, without a restart").isEqualTo(200);
        assertThat(r.body()).isEqualTo("alice");
    }

    @Test
    void whenTheDatabaseIsFrozenThenBStopsAnsweringFromMemoryWithinTheBoundAndFollowsRevocationsAfterwards()
            throws Exception {
        String[][] tokens = twoGrantsKnownToB();

        try (FaultyPostgres.Frozen frozen = postgres.freeze()) {
            assertBFailsSafe(tokens[1][0], System.nanoTime());
        }

        assertRecoveredAndRevocationReachesB(tokens);
    }

    @Test
    void whenTheDatabaseIsStoppedThenBStopsAnsweringFromMemoryWithinTheBoundAndFollowsRevocationsAfterRestart()
            throws Exception {
        String[][] tokens = twoGrantsKnownToB();

        postgres.stop();
        try {
            assertBFailsSafe(tokens[1][0], System.nanoTime());
        } finally {
            postgres.restart();
        }

        assertRecoveredAndRevocationReachesB(tokens);
    }
}
