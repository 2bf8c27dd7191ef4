package io.github.mcpoauth.servlet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection on a PostgreSQL of the test's own under a real Jetty: the database stopped, frozen
 * ({@code SIGSTOP}), a table locked, a statement slowed. Each asserts what clients get (503 with
 * {@code Retry-After} from store-bound endpoints, never 401 for a valid token, never a 500 or an exception text;
 * metadata answered), that every answer comes within a bound (generous: a bound, not a speed measure), and that
 * the server recovers without a restart with every grant issued before still refreshing.
 */
@Timeout(180)
class StoreFaultsTest {

    /** The most time any answer may take during a fault (socket timeout 4 s, query timeout 2 s, plus slack). */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int GRANTS = 3;

    private static FaultyPostgres postgres;

    private TestServer server;
    private DataSource database;

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
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void whenTheDatabaseIsStoppedThenClientsGet503AndEveryGrantRefreshesAfterItsRestart() throws Exception {
        Scenario s = scenario();
        postgres.stop();
        try {
            s.assertOutageAnswers();
        } finally {
            postgres.restart();
        }
        s.assertRecovered();
    }

    @Test
    void whenTheDatabaseIsFrozenThenClientsGet503WithinTheBoundAndEveryGrantRefreshesAfterwards() throws Exception {
        Scenario s = scenario();
        try (FaultyPostgres.Frozen frozen = postgres.freeze()) {
            s.assertOutageAnswers();
        }
        s.assertRecovered();
    }

    @Test
    void whenTheGrantTableIsLockedThenStoreBoundRequestsGet503AndMetadataKeepsAnswering() throws Exception {
        Scenario s = scenario();
        try (Connection side = database.getConnection(); Statement st = side.createStatement()) {
            side.setAutoCommit(false);
            st.execute("LOCK TABLE mcp_oauth_authorization_grant IN ACCESS EXCLUSIVE MODE");
            try {
                // more refreshes at once than there are store permits: each answered 503, none waits past the bound
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<Timed>> refreshes = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        refreshes.add(pool.submit(() -> timed(() -> s.client.refresh(s.spare.refresh()))));
                    }
                    s.assertStoreFreeEndpointsAnswer();
                    for (Future<Timed> f : refreshes) {
                        Timed t = f.get(60, TimeUnit.SECONDS);
                        assertUnavailable(t);
                    }
                } finally {
                    pool.shutdownNow();
                }
                s.assertGuardNeverRejectsAValidToken();
            } finally {
                side.rollback();
            }
        }
        s.assertRecovered();
    }

    @Test
    void whenAStatementIsSlowThenTheRefreshGets503AndSucceedsOnceTheDatabaseIsFastAgain() throws Exception {
        Scenario s = scenario();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION slow_down() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; "
                    + "END $$ LANGUAGE plpgsql");
            st.execute("CREATE TRIGGER slow_down BEFORE INSERT OR UPDATE ON mcp_oauth_refresh_token "
                    + "FOR EACH ROW EXECUTE FUNCTION slow_down()");
            try {
                assertUnavailable(timed(() -> s.client.refresh(s.spare.refresh())));
                s.assertStoreFreeEndpointsAnswer();
            } finally {
                st.execute("DROP TRIGGER slow_down ON mcp_oauth_refresh_token");
            }
        }
        s.assertRecovered();
    }

    /** A server on a new database with a registered client and {@value #GRANTS} grants, plus a spare one. */
    private Scenario scenario() throws Exception {
        database = postgres.newDatabase();
        JdbcStores jdbc = JdbcStores.newBuilder(database, Clock.systemUTC()).queryTimeout(Duration.ofSeconds(2))
                .build();
        jdbc.migrate();
        server = TestServer.builder()
                .stores(jdbc.stores())
                .servlet("/mcp", base -> new PrincipalEcho())
                .oauth(b -> b.rateLimits(RateLimits.none()).storePermits(4, Duration.ofMillis(500)))
                .start();
        Browser browser = new Browser();
        McpClient client = new McpClient(server, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        List<Tokens> grants = new ArrayList<>();
        for (int i = 0; i < GRANTS + 1; i++) {
            McpClient.Pkce pkce = McpClient.pkce();
            URI callback = client.authorize(pkce, "s" + i, "alice");
            grants.add(Tokens.of(client.redeem(Browser.query(callback).get("code"), pkce.verifier())));
        }
        Scenario s = new Scenario(browser, client, grants.subList(1, grants.size()), grants.get(0));
        for (Tokens t : s.grants) {
            assertThat(s.callMcp(t.access()).statusCode()).isEqualTo(200); // the guard has seen each token
        }
        return s;
    }

    private final class Scenario {
        final Browser browser;
        final McpClient client;
        final List<Tokens> grants;
        final Tokens spare;

        Scenario(Browser browser, McpClient client, List<Tokens> grants, Tokens spare) {
            this.browser = browser;
            this.client = client;
            this.grants = new ArrayList<>(grants);
            this.spare = spare;
        }

        HttpResponse<String> callMcp(String accessToken) throws IOException, InterruptedException {
            return browser.http().send(HttpRequest.newBuilder(server.uri("/mcp")).timeout(BOUND)
                    .header("Authorization", "Bearer " + accessToken).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** What every kind of client gets while the store is down. */
        void assertOutageAnswers() throws Exception {
            assertUnavailable(timed(() -> client.refresh(spare.refresh())));
            assertUnavailable(timed(() -> client.registerPublic()));
            Timed authorize = timed(() -> browser.get(client.authorizeUri(McpClient.pkce(), "down")));
            assertThat(authorize.status()).as(authorize.body()).isEqualTo(503);
            assertThat(authorize.retryAfter()).isNotEmpty();
            assertClean(authorize);
            assertGuardNeverRejectsAValidToken();
            assertStoreFreeEndpointsAnswer();
        }

        /** A token that verified before the fault: accepted, or 503 with Retry-After; never 401. */
        void assertGuardNeverRejectsAValidToken() throws Exception {
            for (Tokens t : grants) {
                Timed call = timed(() -> callMcp(t.access()));
                assertThat(call.status()).as(call.body()).isIn(200, 503);
                if (call.status() == 503) {
                    assertThat(call.retryAfter()).isNotEmpty();
                }
            }
        }

        /** Metadata and protected resource metadata answer; JWKS answers, or 503 with Retry-After and no detail. */
        void assertStoreFreeEndpointsAnswer() throws Exception {
            Timed metadata = timed(() -> browser.get(server.uri("/.well-known/oauth-authorization-server")));
            assertThat(metadata.status()).isEqualTo(200);
            Timed prm = timed(() -> browser.get(server.uri("/.well-known/oauth-protected-resource/mcp")));
            assertThat(prm.status()).isEqualTo(200);
            Timed jwks = timed(() -> browser.get(server.uri("/oauth2/jwks")));
            assertThat(jwks.status()).as(jwks.body()).isIn(200, 503);
            if (jwks.status() == 503) {
                assertUnavailable(jwks);
            }
        }

        /** The server answers again without a restart, and every grant issued before still refreshes. */
        void assertRecovered() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> first = client.refresh(spare.refresh());
            while (first.statusCode() == 503 && System.nanoTime() - deadline < 0) {
                // pooled connections broken by the fault are dropped one request at a time
                first = client.refresh(spare.refresh());
            }
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            for (Tokens t : grants) {
                HttpResponse<String> refreshed = client.refresh(t.refresh());
                assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
                assertThat(callMcp(Tokens.of(refreshed).access()).statusCode()).isEqualTo(200);
            }
        }
    }

    /** An answer and how long it took. */
    private record Timed(int status, String body, List<String> retryAfter, Duration took) {
    }

    private static Timed timed(Callable<HttpResponse<String>> call) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = call.call();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("answered within the bound").isLessThan(BOUND);
        return new Timed(r.statusCode(), r.body(), r.headers().allValues("Retry-After"), took);
    }

    private static void assertUnavailable(Timed t) {
        assertThat(t.status()).as(t.body()).isEqualTo(503);
        assertThat(t.retryAfter()).isNotEmpty();
        assertThat(t.body()).contains("temporarily_unavailable");
        assertClean(t);
    }

    /** No stack trace, exception class or SQL detail in an answer. */
    private static void assertClean(Timed t) {
        assertThat(t.body()).doesNotContain("Exception", "PSQL", "SQLState", "\tat ", "org.postgresql");
    }

    /** The tokens of one token response. */
    private record Tokens(String access, String refresh) {
        static Tokens of(HttpResponse<String> response) throws IOException {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            var json = McpClient.json(response);
            return new Tokens(json.get("access_token").asText(), json.get("refresh_token").asText());
        }
    }

    /** Answers the name of the request's principal; reached only through the bearer guard. */
    static final class PrincipalEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(req.getUserPrincipal().getName().getBytes(StandardCharsets.UTF_8));
        }
    }
}
