package io.github.mcpoauth.servlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A browser-based MCP client (another origin) can discover and call the protected endpoint. */
class BrowserClientCorsTest {

    private static final String ORIGIN = "http://localhost:6274"; // where the MCP Inspector runs

    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.builder().servlet("/mcp", base -> new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;
        }).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void whenBrowserPreflightsTheMcpEndpointThenItIsAllowedWithoutAToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/mcp"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization").contains("MCP-Protocol-Version").contains("Mcp-Session-Id");
    }

    @Test
    void whenBrowserCallsWithoutTokenThenItCanReadTheChallenge() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/mcp")).header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("resource_metadata=");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("WWW-Authenticate");
    }

    @Test
    void whenBrowserPreflightsTheResourceMetadataThenItIsAllowed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        server.uri("/.well-known/oauth-protected-resource/mcp"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "mcp-protocol-version").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
}
