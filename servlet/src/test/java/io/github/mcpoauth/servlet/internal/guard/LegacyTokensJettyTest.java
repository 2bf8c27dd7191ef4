package io.github.mcpoauth.servlet.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import io.github.mcpoauth.servlet.McpResourceServer;
import io.github.mcpoauth.servlet.McpResourceServer.LegacyTokens;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The legacy token fallback (issue 10, item 3) over real HTTP: a Jetty webapp whose guard verifies the same-app
 * OAuth tokens and, for tokens that are not ours, asks the app's {@link LegacyTokens}; a second webapp on the same
 * verifier without the fallback shows it is off unless configured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyTokensJettyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, LegacyTokens.Caller> APP_TOKENS = Map.of(
            "pat_alice_0123456789", new LegacyTokens.Caller("alice", Set.of("mcp"), "personal-access-token"),
            "pat_bob_nomcp", new LegacyTokens.Caller("bob", Set.of("tools"), "personal-access-token"));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private Server jetty;
    private String base;
    private GuardFixture fixture;

    @BeforeAll
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        connector.open();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        fixture = new GuardFixture(base + "/mcp");
        LegacyTokens validator = token -> {
            asked.add(token);
            if (token.equals("pat_explodes")) {
                throw new IllegalStateException("the app's token table is broken");
            }
            return Optional.ofNullable(APP_TOKENS.get(token));
        };
        McpResourceServer withFallback = McpResourceServer.builder().resource(fixture.settings)
                .verifier(fixture.verifier).legacyTokens(validator)
                .scopeRules(McpScopeRules.builder().tool("delete_everything", "admin").build())
                .build();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServletContainerInitializer(withFallback.initializer());
        context.addServlet(new ServletHolder(new WhoAmI()), "/mcp");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    void stop() throws Exception {
        jetty.stop();
    }

    @BeforeEach
    void clear() {
        asked.clear();
    }

    @Test
    void whenAppTokenPresentedThenCallerPassesWithItsOwnPrincipalTypeAndScopes() throws Exception {
        HttpResponse<String> r = post("pat_alice_0123456789", "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Caller alice kind=personal-access-token mcp-role=true admin-role=false "
                + "token-hidden=true");
    }

    @Test
    void whenUnknownTokenThenTheSameOAuthChallengeAsAnyRefusedToken() throws Exception {
        HttpResponse<String> r = post("pat_nobody", "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer error=\"invalid_token\"")
                .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
        assertThat(asked).containsExactly("pat_nobody");
    }

    @Test
    void whenNoTokenThenTheDiscoveryChallengeAndTheValidatorIsNotAsked() throws Exception {
        HttpResponse<String> r = post(null, "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).doesNotContain("error=")
                .contains("resource_metadata=");
        assertThat(asked).isEmpty();
    }

    @Test
    void whenOAuthAccessTokenPresentedThenItsPrincipalIsAnAccessTokenPrincipalAndTheValidatorIsNotAsked()
            throws Exception {
        HttpResponse<String> r = post(fixture.token("mcp", "grant-legacy-1"), "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("AccessTokenPrincipal alice");
        assertThat(asked).isEmpty();
    }

    @Test
    void whenJwtFailsVerificationThenItIsNeverHandedToTheValidator() throws Exception {
        String expired = fixture.sign(fixture.claims("mcp", "grant-legacy-2")
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 3_600_000)).build());
        fixture.grant("grant-legacy-2");

        HttpResponse<String> r = post(expired, "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(asked).isEmpty();
    }

    @Test
    void whenAppTokenLacksTheRequiredScopeThenInsufficientScope() throws Exception {
        HttpResponse<String> r = post("pat_bob_nomcp", "{}");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"mcp\"");
    }

    @Test
    void whenAppTokenCallsAToolNeedingAnotherScopeThenTheScopeRulesApplyToo() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"delete_everything\",\"arguments\":{}}}";

        HttpResponse<String> r = post("pat_alice_0123456789", call);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"mcp admin\"");
    }

    @Test
    void whenValidatorThrowsThenTheTokenIsRefusedWith401NotA500() throws Exception {
        HttpResponse<String> r = post("pat_explodes", "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("broken", "pat_explodes");
    }

    @Test
    void whenNoValidatorConfiguredThenAppTokensAreRefused() throws Exception {
        Server plain = new Server();
        ServerConnector connector = new ServerConnector(plain);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        plain.addConnector(connector);
        connector.open();
        String plainBase = "http://127.0.0.1:" + connector.getLocalPort();
        GuardFixture other = new GuardFixture(plainBase + "/mcp");
        McpResourceServer rs = McpResourceServer.builder().resource(other.settings).verifier(other.verifier)
                .build();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServletContainerInitializer(rs.initializer());
        context.addServlet(new ServletHolder(new WhoAmI()), "/mcp");
        plain.setHandler(context);
        plain.start();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(plainBase + "/mcp"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer pat_alice_0123456789")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        } finally {
            plain.stop();
        }
    }

    @Test
    void whenMcpOAuthLeavesTheGuardToAResourceServerWithLegacyTokensThenBothKindsOfTokenPass() throws Exception {
        Server app = new Server();
        ServerConnector connector = new ServerConnector(app);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        app.addConnector(connector);
        connector.open();
        String appBase = "http://127.0.0.1:" + connector.getLocalPort();
        McpOAuth oauth = McpOAuth.builder()
                .settings(AuthorizationServerSettings.builder().issuer(appBase).resource(appBase + "/mcp")
                        .scopes(Set.of("mcp")).build())
                .authenticator(ResourceOwnerAuthenticator.containerPrincipal())
                .protectResources(false)
                .build();
        ProtectedResourceSettings resource = oauth.protectedResources().get(0);
        McpResourceServer rs = McpResourceServer.builder().resource(resource)
                .verifier(oauth.verifier(resource.resource()))
                .legacyTokens(token -> Optional.ofNullable(APP_TOKENS.get(token))).build();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServletContainerInitializer(oauth.initializer());
        context.addServletContainerInitializer(rs.initializer());
        context.addServlet(new ServletHolder(new WhoAmI()), "/mcp");
        app.setHandler(context);
        app.start();
        try {
            HttpResponse<String> legacy = http.send(HttpRequest.newBuilder(URI.create(appBase + "/mcp"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer pat_alice_0123456789")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(appBase + "/mcp"))
                    .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(appBase
                    + "/.well-known/oauth-protected-resource/mcp")).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(legacy.statusCode()).isEqualTo(200);
            assertThat(legacy.body()).startsWith("Caller alice");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("resource_metadata=");
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.body()).contains("\"authorization_servers\":[\"" + appBase + "\"]");
        } finally {
            app.stop();
            oauth.close();
        }
    }

    @Test
    void whenTokenHasTheShapeOfAJwtThenItIsOursNotTheApps() {
        assertThat(LegacyFallback.looksLikeJwt(fixture.token("mcp", "grant-legacy-3"))).isTrue();
        assertThat(LegacyFallback.looksLikeJwt("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d")).isTrue();
        assertThat(LegacyFallback.looksLikeJwt("pat_alice_0123456789")).isFalse();
        assertThat(LegacyFallback.looksLikeJwt("key.with.dots")).isFalse();
        assertThat(LegacyFallback.looksLikeJwt("!!.x.y")).isFalse();
    }

    private HttpResponse<String> post(String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/mcp")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stands in for the MCP servlet: says which principal type called, and whether the token was kept from it. */
    private static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Principal p = request.getUserPrincipal();
            String who = p instanceof LegacyTokens.Caller c ? "Caller " + c.subject() + " kind=" + c.kind()
                    : p instanceof AccessTokenPrincipal a ? "AccessTokenPrincipal " + a.subject() : "nobody";
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(who + " mcp-role=" + request.isUserInRole("mcp") + " admin-role="
                    + request.isUserInRole("admin") + " token-hidden=" + (request.getHeader("Authorization") == null));
        }
    }
}
