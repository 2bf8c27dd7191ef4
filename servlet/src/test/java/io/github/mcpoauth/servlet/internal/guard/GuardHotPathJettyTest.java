package io.github.mcpoauth.servlet.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard's per-request shortcuts (issue 13, guard2) on real Jetty: the quick scope check never lets through what
 * the verifier's full check refuses (implied scopes still count; the verifier's own required scopes still apply),
 * and the header names the servlet sees, filtered once per request, never include {@code Authorization}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardHotPathJettyTest {

    private Server server;
    private String base;
    private GuardFixture fixture;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        connector.open();
        base = "http://localhost:" + connector.getLocalPort();
        fixture = new GuardFixture(base + "/mcp");
        // the verifier's resource needs mcp:read (which mcp:write implies); the guard's settings add tools
        ProtectedResourceSettings verifierSettings = settings().requiredScopes(List.of("mcp:read")).build();
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(verifierSettings)
                .localKeys(fixture.keys::publicJwks)
                .revocationCheck(new GrantRevocationCheck(fixture.stores.grants()))
                .build();
        ProtectedResourceSettings guardSettings = settings().requiredScopes(List.of("tools")).build();
        BearerGuardFilter guard = BearerGuardFilter.builder(guardSettings, verifier).build();

        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(guard), "/mcp", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HeaderNamesServlet()), "/mcp");
        server.setHandler(context);
        server.start();
    }

    private ProtectedResourceSettings.Builder settings() {
        return ProtectedResourceSettings.builder()
                .resource(base + "/mcp")
                .authorizationServer(GuardFixture.ISSUER)
                .scopesSupported(List.of("mcp:read", "mcp:write", "tools", "other"))
                .impliedScopes("mcp:write", List.of("mcp:read"))
                .clock(fixture.clock);
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    /** Answers the header names it saw, asked twice, one line each time. */
    static final class HeaderNamesServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().println(Collections.list(req.getHeaderNames()));
            resp.getWriter().println(Collections.list(req.getHeaderNames()));
            resp.getWriter().print(req.getUserPrincipal().getName());
        }
    }

    private HttpResponse<String> post(String scope, String grantId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
                .header("Authorization", "Bearer " + fixture.token(scope, grantId))
                .header("X-Probe", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postWhenTokenHoldsEveryScopeOutrightThenPassesAndHeaderNamesHideAuthorizationEveryTime() throws Exception {
        HttpResponse<String> response = post("mcp:read tools", "grant-outright");

        assertThat(response.statusCode()).isEqualTo(200);
        String[] lines = response.body().split("\n");
        assertThat(lines[0]).containsIgnoringCase("x-probe").doesNotContainIgnoringCase("authorization");
        assertThat(lines[1]).isEqualTo(lines[0]);
        assertThat(lines[2]).isEqualTo("alice");
    }

    @Test
    void postWhenTokenHoldsAScopeOnlyByImplicationThenStillPasses() throws Exception {
        assertThat(post("mcp:write tools", "grant-implied").statusCode()).isEqualTo(200);
    }

    @Test
    void postWhenTokenLacksTheVerifiersRequiredScopeThen403NamingEveryScopeNeeded() throws Exception {
        HttpResponse<String> response = post("tools", "grant-no-read");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").contains("mcp:read").contains("tools");
    }

    @Test
    void postWhenTokenLacksTheGuardsRequiredScopeThen403() throws Exception {
        HttpResponse<String> response = post("mcp:write", "grant-no-tools");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").contains("tools");
    }
}
