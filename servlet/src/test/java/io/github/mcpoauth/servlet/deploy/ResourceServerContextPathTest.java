package io.github.mcpoauth.servlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.McpResourceServer;
import io.github.mcpoauth.servlet.testing.Browser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link McpResourceServer} (tokens from another authorization server) under the context path {@code /app}. */
class ResourceServerContextPathTest {

    private static final String APP = ContextPathContract.APP;
    private final ContextPathJettyTest jetty = new ContextPathJettyTest();

    private static McpResourceServer rs(URI base) {
        return McpResourceServer.builder()
                .resource(ProtectedResourceSettings.builder()
                        .resource(base + APP + "/mcp")
                        .authorizationServer("https://sso.example.com")
                        .scopesSupported(List.of("mcp"))
                        .requiredScopes(List.of("mcp"))
                        .build())
                .jwks(URI.create("https://sso.example.com/certs"))
                .build();
    }

    @Test
    void whenRootInitializerServesTheRootThenTheChallengedMetadataUrlAnswers() throws Exception {
        try (ContextPathContract.Container c = jetty.start(base -> {
            McpResourceServer rs = rs(base);
            return new ContextPathContract.Contexts(rs.rootInitializer(), rs.initializer());
        })) {
            Browser browser = new Browser();
            HttpResponse<String> challenge = browser.http().send(HttpRequest.newBuilder(
                    URI.create(c.baseUri() + APP + "/mcp")).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(challenge.statusCode()).isEqualTo(401);
            URI metadata = URI.create(c.baseUri() + "/.well-known/oauth-protected-resource" + APP + "/mcp");
            assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("resource_metadata=\"" + metadata + "\"");
            HttpResponse<String> doc = browser.get(metadata);
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(doc.body()).contains("https://sso.example.com");
        }
    }

    @Test
    void whenNothingServesTheRootThenInstallIsRefusedNamingTheRootInitializer() {
        McpResourceServer rs = rs(URI.create("http://127.0.0.1:1"));
        assertThatThrownBy(() -> rs.install(ContextPathContract.contextAt(APP)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("McpResourceServer.rootInitializer()")
                .hasMessageContaining("wellKnownAtRoot(true)");
    }
}
