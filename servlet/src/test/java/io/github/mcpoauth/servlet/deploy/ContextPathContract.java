package io.github.mcpoauth.servlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestLoginServlet;
import io.github.mcpoauth.servlet.testing.TestServer;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An application under the context path {@value #APP}: the same checks on every container. The host serves the
 * well-known documents from its root context with {@link McpOAuth#rootInitializer()}, or the deployment is refused.
 */
abstract class ContextPathContract {

    static final String APP = "/app";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A running container: a root context (empty but for {@code root}, if given) and the {@value #APP} context. */
    interface Container extends AutoCloseable {
        URI baseUri();

        /** Whether the {@value #APP} context started. */
        boolean appStarted();
    }

    /**
     * Starts a container on a free loopback port known before the contexts start; {@code settings} receives the
     * base URI. The {@value #APP} context gets {@code app}, the test login at {@code /login} and {@link McpStandIn}
     * at {@code /mcp}.
     */
    abstract Container start(java.util.function.Function<URI, Contexts> contexts) throws Exception;

    /** The initializers of the two contexts. */
    record Contexts(ServletContainerInitializer root, ServletContainerInitializer app) {
    }

    static McpOAuth oauth(URI base) {
        return McpOAuth.builder()
                .settings(AuthorizationServerSettings.builder().issuer(base + APP).resource(base + APP + "/mcp")
                        .build())
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute(TestServer.USER_ATTRIBUTE, "/login"))
                .build();
    }

    /** The MCP endpoint stand-in: answers with the caller's subject. */
    static final class McpStandIn extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getUserPrincipal().getName());
        }
    }

    static HttpServlet login() {
        return new TestLoginServlet(TestServer.USERS, TestServer.USER_ATTRIBUTE);
    }

    @Test
    void whenInstalledUnderContextPathWithRootInitializerThenMetadataIsServedWhereRfc9728PutsIt() throws Exception {
        try (Container c = start(base -> {
            McpOAuth oauth = oauth(base);
            return new Contexts(oauth.rootInitializer(), oauth.initializer());
        })) {
            assertThat(c.appStarted()).isTrue();
            Browser browser = new Browser();
            HttpResponse<String> challenge = browser.http().send(HttpRequest.newBuilder(uri(c, APP + "/mcp"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(challenge.statusCode()).isEqualTo(401);
            String prm = c.baseUri() + "/.well-known/oauth-protected-resource" + APP + "/mcp";
            assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("resource_metadata=\"" + prm + "\"");

            HttpResponse<String> metadata = browser.get(URI.create(prm));
            assertThat(metadata.statusCode()).isEqualTo(200);
            JsonNode doc = JSON.readTree(metadata.body());
            assertThat(doc.get("resource").asText()).isEqualTo(c.baseUri() + APP + "/mcp");
            assertThat(doc.get("authorization_servers").get(0).asText()).isEqualTo(c.baseUri() + APP);

            for (String path : List.of("/.well-known/oauth-authorization-server" + APP,
                    APP + "/.well-known/oauth-authorization-server", APP + "/.well-known/openid-configuration")) {
                HttpResponse<String> as = browser.get(uri(c, path));
                assertThat(as.statusCode()).as(path).isEqualTo(200);
                assertThat(JSON.readTree(as.body()).get("token_endpoint").asText())
                        .isEqualTo(c.baseUri() + APP + "/oauth2/token");
            }
            // what a proxy forwarding /.well-known/... into the context reaches
            assertThat(browser.get(uri(c, APP + "/.well-known/oauth-protected-resource" + APP + "/mcp"))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void whenUserLogsInUnderContextPathThenReturnToCarriesTheContextPathOnceAndTheFlowCompletes() throws Exception {
        try (Container c = start(base -> {
            McpOAuth oauth = oauth(base);
            return new Contexts(oauth.rootInitializer(), oauth.initializer());
        })) {
            Browser browser = new Browser();
            String redirect = "http://127.0.0.1:9/callback";
            HttpResponse<String> reg = post(browser, uri(c, APP + "/oauth2/register"), "application/json",
                    "{\"redirect_uris\":[\"" + redirect + "\"],\"token_endpoint_auth_method\":\"none\","
                            + "\"grant_types\":[\"authorization_code\"],\"response_types\":[\"code\"]}");
            assertThat(reg.statusCode()).isEqualTo(201);
            String clientId = JSON.readTree(reg.body()).get("client_id").asText();
            McpClient.Pkce pkce = McpClient.pkce();
            String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirect)
                    + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256&state=s1&scope=mcp"
                    + "&resource=" + enc(c.baseUri() + APP + "/mcp");

            HttpResponse<String> r = browser.get(uri(c, APP + "/oauth2/authorize?" + query));
            assertThat(r.statusCode()).isEqualTo(302);
            URI login = Browser.location(r);
            assertThat(login.getPath()).isEqualTo(APP + "/login");
            String returnTo = Browser.query(login).get("return");
            assertThat(returnTo).startsWith(APP + "/oauth2/authorize?").doesNotContain(APP + APP);

            r = browser.post(uri(c, APP + "/login"), Map.of("username", List.of("alice"),
                    "password", List.of(TestServer.USERS.get("alice")), "return", List.of(returnTo)));
            assertThat(r.statusCode()).isEqualTo(303);
            r = browser.get(Browser.location(r));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200); // consent page
            assertThat(Browser.formAction(r.body())).isEqualTo(APP + "/oauth2/authorize/consent");
            Map<String, List<String>> form = new java.util.LinkedHashMap<>(Browser.hiddenFields(r.body()));
            form.put("decision", List.of("approve"));
            r = browser.post(uri(c, Browser.formAction(r.body())), form, "Origin", c.baseUri().toString());
            assertThat(r.statusCode()).isEqualTo(303);
            Map<String, String> callback = Browser.query(Browser.location(r));
            assertThat(callback.get("iss")).isEqualTo(c.baseUri() + APP);

            HttpResponse<String> token = browser.post(uri(c, APP + "/oauth2/token"), Map.of(
                    "grant_type", List.of("authorization_code"), "code", List.of(callback.get("code")),
                    "redirect_uri", List.of(redirect), "code_verifier", List.of(pkce.verifier()),
                    "client_id", List.of(clientId)));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String accessToken = JSON.readTree(token.body()).get("access_token").asText();

            HttpResponse<String> mcp = browser.http().send(HttpRequest.newBuilder(uri(c, APP + "/mcp"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + accessToken)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(mcp.statusCode()).isEqualTo(200);
            assertThat(mcp.body()).isEqualTo("hello alice");
        }
    }

    @Test
    void whenInstalledUnderContextPathWithoutRootThenStartIsRefusedSayingWhatToAdd() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Container c = start(base -> {
            McpOAuth oauth = oauth(base);
            ServletContainerInitializer recording = (classes, ctx) -> {
                try {
                    oauth.install(ctx);
                } catch (RuntimeException e) {
                    failure.set(e);
                    throw e;
                }
            };
            return new Contexts(null, recording);
        })) {
            assertThat(c.appStarted()).isFalse();
        } catch (Exception startFailed) {
            // some containers report a failed context from start() itself
        }
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/.well-known/oauth-protected-resource" + APP + "/mcp")
                .hasMessageContaining("McpOAuth.rootInitializer()")
                .hasMessageContaining("wellKnownAtRoot(true)");
    }

    @Test
    void whenHostDeclaresTheWellKnownRoutedThenTheAppStartsAndServesTheForwardedPaths() throws Exception {
        try (Container c = start(base -> new Contexts(null, McpOAuth.builder()
                .settings(AuthorizationServerSettings.builder().issuer(base + APP).resource(base + APP + "/mcp")
                        .build())
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute(TestServer.USER_ATTRIBUTE, "/login"))
                .wellKnownAtRoot(true)
                .build().initializer()))) {
            assertThat(c.appStarted()).isTrue();
            HttpResponse<String> forwarded = new Browser().get(uri(c,
                    APP + "/.well-known/oauth-protected-resource" + APP + "/mcp"));
            assertThat(forwarded.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(forwarded.body()).get("resource").asText())
                    .isEqualTo(c.baseUri() + APP + "/mcp");
        }
    }

    @Test
    void whenRootInitializerIsInstalledInANonRootContextThenItFails() {
        McpOAuth oauth = oauth(URI.create("http://127.0.0.1:1"));
        assertThatThrownBy(() -> oauth.rootInitializer().onStartup(null, contextAt(APP)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("root context");
    }

    /** A servlet context that knows only its path. */
    static jakarta.servlet.ServletContext contextAt(String path) {
        return (jakarta.servlet.ServletContext) java.lang.reflect.Proxy.newProxyInstance(
                ContextPathContract.class.getClassLoader(), new Class<?>[] {jakarta.servlet.ServletContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getContextPath")) {
                        return path;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static URI uri(Container c, String path) {
        return URI.create(c.baseUri() + path);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> post(Browser browser, URI uri, String type, String body)
            throws IOException, InterruptedException {
        return browser.http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
