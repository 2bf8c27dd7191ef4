package io.github.mcpoauth.servlet.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP (Jetty): the endpoints and the bearer guard answer through the one edge writer, so their errors
 * share one shape: the JSON error of core's format, {@code Cache-Control: no-store}, {@code Pragma: no-cache},
 * {@code X-Content-Type-Options: nosniff}.
 */
class EdgeWriterTest {

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

    private static void assertOneErrorShape(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"error\":\"" + error + "\"").contains("\"error_description\":");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void whenTokenEndpointAndGuardRefuseThenOneErrorShape() throws Exception {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=x&code=y"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> guard = http.send(HttpRequest.newBuilder(server.uri("/mcp"))
                .header("Authorization", "Bearer not-a-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertOneErrorShape(token, 400, "invalid_request");
        assertOneErrorShape(guard, 401, "invalid_token");
        assertThat(guard.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer ")
                .contains("error=\"invalid_token\"");
    }

    @Test
    void whenGuardSeesNoTokenThenChallengeWithoutBodyAndNotStored() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/mcp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("resource_metadata=")
                .doesNotContain("error=");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void whenMethodNotAllowedThen405WithAllowAndEndpointCors() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/oauth2/token"))
                .header("Origin", "http://localhost:6274").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertOneErrorShape(r, 405, "invalid_request");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("Retry-After", "DPoP-Nonce");
    }
}
