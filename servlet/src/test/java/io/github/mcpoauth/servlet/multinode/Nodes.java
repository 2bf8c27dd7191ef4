package io.github.mcpoauth.servlet.multinode;

import io.github.mcpoauth.core.store.jdbc.JdbcStores;
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
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Servers ("nodes") of one authorization server sharing a PostgreSQL database, as behind a load balancer: each a
 * Jetty of its own with its own {@code McpOAuth} and {@code JdbcStores}, all with the same issuer and resource
 * ({@code <issuer>/mcp}), each serving at {@code /mcp} (behind the bearer guard {@code McpOAuth.install} mounts) a
 * servlet that answers the name of the request's principal.
 */
final class Nodes {

    private Nodes() {
    }

    /** Stops {@code nodes} in the order given, skipping those never started ({@code null}). */
    static void stop(TestServer... nodes) throws Exception {
        for (TestServer node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    /**
     * Starts a node on {@code database}.
     *
     * @param issuer the shared issuer, or {@code null} for this node's own address
     * @param port   the port to bind, 0 for a free one
     */
    static TestServer start(DataSource database, URI issuer, int port) throws Exception {
        return TestServer.builder()
                .stores(JdbcStores.create(database, Clock.systemUTC()))
                .issuer(issuer)
                .port(port)
                .servlet("/mcp", base -> new PrincipalEcho())
                .start();
    }

    /** The tokens of one token response. */
    record Tokens(String accessToken, String refreshToken) {
        static Tokens of(HttpResponse<String> response) throws IOException {
            if (response.statusCode() != 200) {
                throw new AssertionError("token request failed: " + response.statusCode() + " " + response.body());
            }
            var json = McpClient.json(response);
            return new Tokens(json.get("access_token").asText(), json.get("refresh_token").asText());
        }
    }

    /** An authorization code and the PKCE verifier it was requested with. */
    record Code(String code, String verifier) {
    }

    /**
     * Runs the browser part at the node {@code client} was made for (authorization request, then login and consent
     * if asked: the browser's session lives on that node) and returns the code.
     */
    static Code authorize(McpClient client, String user) throws IOException, InterruptedException {
        McpClient.Pkce pkce = McpClient.pkce();
        URI callback = client.authorize(pkce, "st", user);
        return new Code(Browser.query(callback).get("code"), pkce.verifier());
    }

    /** Redeems {@code code} at {@code node}'s token endpoint, as {@code client}. */
    static HttpResponse<String> redeem(McpClient client, TestServer node, Code code)
            throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("grant_type", List.of("authorization_code"));
        form.put("code", List.of(code.code()));
        form.put("redirect_uri", List.of(client.redirectUri()));
        form.put("code_verifier", List.of(code.verifier()));
        return client.authenticated(node.uri("/oauth2/token"), form);
    }

    /** Refreshes with {@code refreshToken} at {@code node}'s token endpoint, as {@code client}. */
    static HttpResponse<String> refresh(McpClient client, TestServer node, String refreshToken)
            throws IOException, InterruptedException {
        return client.authenticated(node.uri("/oauth2/token"), Map.of("grant_type", List.of("refresh_token"),
                "refresh_token", List.of(refreshToken)));
    }

    /** {@code GET /mcp} on {@code node} with {@code accessToken} (none if null). */
    static HttpResponse<String> callMcp(Browser browser, TestServer node, String accessToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri("/mcp")).timeout(Duration.ofSeconds(10)).GET();
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return browser.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * How long after a revocation on one node another node may still accept the grant's access tokens: the
     * revocation feed's bound (docs/storage.md, "Revocation across nodes").
     */
    static final Duration STALENESS_BOUND = Duration.ofSeconds(1);

    /**
     * A refusal by a node's guard after a revocation elsewhere.
     *
     * @param response the first response other than 200
     * @param delay from the revocation to the start of the call that got it
     */
    record Refusal(HttpResponse<String> response, Duration delay) {
    }

    /**
     * Calls {@code node}'s guard with {@code accessToken} until it answers other than 200 (for at most 30 s), and
     * checks that no call begun later than {@link #STALENESS_BOUND} after {@code revokedAt} ({@link System#nanoTime})
     * was let through: the property itself, which a slow test thread cannot fake.
     */
    static Refusal callMcpUntilRefused(Browser browser, TestServer node, String accessToken, long revokedAt)
            throws IOException, InterruptedException {
        long lastAccepted = revokedAt;
        while (System.nanoTime() - revokedAt < Duration.ofSeconds(30).toNanos()) {
            long start = System.nanoTime();
            HttpResponse<String> r = callMcp(browser, node, accessToken);
            if (r.statusCode() != 200) {
                if (Duration.ofNanos(lastAccepted - revokedAt).compareTo(STALENESS_BOUND) > 0) {
                    throw new AssertionError("a call begun " + Duration.ofNanos(lastAccepted - revokedAt).toMillis()
                            + " ms after the revocation was let through");
                }
                return new Refusal(r, Duration.ofNanos(start - revokedAt));
            }
            lastAccepted = start;
            Thread.sleep(5);
        }
        throw new AssertionError("still accepted 30 s after the revocation");
    }

    /** Answers the name of the request's principal; a request gets here only through the bearer guard. */
    static final class PrincipalEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(req.getUserPrincipal().getName().getBytes(StandardCharsets.UTF_8));
        }
    }
}
