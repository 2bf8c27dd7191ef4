package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Response hardening of the endpoints: content sniffing, methods, body limits, HEAD, early refusals. */
class EndpointHardeningTest {

    @Test
    void whenJsonEndpointsAnswerThenNosniffAndTheBodyLimitHoldsForChunkedBodies() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start()) {
            McpClient client = fx.publicClient();
            List<HttpResponse<String>> answers = List.of(
                    fx.browser.get(fx.uri("/.well-known/oauth-authorization-server")),
                    fx.browser.get(fx.uri("/oauth2/jwks")),
                    client.refresh("x"),
                    fx.browser.get(fx.uri("/oauth2/token")),
                    client.register("none"));
            for (HttpResponse<String> r : answers) {
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().getPath()).hasValue("nosniff");
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            }
            assertThat(fx.browser.get(fx.uri("/oauth2/token")).headers().firstValue("Allow")).hasValue("POST");

            byte[] big = ("grant_type=refresh_token&refresh_token=" + "A".repeat(70 * 1024))
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> chunked = fx.send(fx.request("/oauth2/token")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
            assertOAuthError(chunked, 413, "invalid_request");

            HttpResponse<String> head = fx.send(fx.request("/.well-known/oauth-authorization-server")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void whenARequestIsAnsweredBeforeItsBodyArrivesThenTheConnectionStaysUsable() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start();
                RawHttp.KeptAlive connection = new RawHttp.KeptAlive(fx.uri("/"))) {
            String host = "Host: " + fx.uri("/").getAuthority() + "\r\n";
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
            // Each answer is decided from the headers alone (a refusal, or a GET that takes no body); the body
            // follows only after the server had time to answer, as a slow client's would.
            List<String> heads = List.of(
                    "POST /mcp HTTP/1.1\r\n" + host + "Authorization: Bearer not-a-token\r\n",
                    "POST /mcp HTTP/1.1\r\n" + host,
                    "PUT /oauth2/token HTTP/1.1\r\n" + host,
                    "PUT /oauth2/authorize HTTP/1.1\r\n" + host,
                    "OPTIONS /oauth2/token HTTP/1.1\r\n" + host,
                    "GET /oauth2/jwks HTTP/1.1\r\n" + host,
                    "GET /.well-known/oauth-authorization-server HTTP/1.1\r\n" + host,
                    "POST /.well-known/oauth-protected-resource/mcp HTTP/1.1\r\n" + host);
            for (String head : heads) {
                connection.write(head + "Content-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\n\r\n");
                Thread.sleep(200);
                connection.write(body);

                RawHttp.Response answer = connection.read();

                assertThat(answer.status()).as(head).isIn(200, 204, 401, 405);
                assertThat(answer.header("Connection")).as(head).doesNotContain("close");
            }
            connection.write("GET /.well-known/oauth-authorization-server HTTP/1.1\r\n" + host + "\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    @Test
    void whenARefusedBodyIsLongerThanTheDiscardLimitThenTheRefusalSaysConnectionClose() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start();
                RawHttp.KeptAlive connection = new RawHttp.KeptAlive(fx.uri("/"))) {
            int length = (int) RequestBodies.DEFAULT_DISCARD_LIMIT * 4;
            connection.write("POST /mcp HTTP/1.1\r\nHost: " + fx.uri("/").getAuthority()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n"
                    + "x".repeat((int) RequestBodies.DEFAULT_DISCARD_LIMIT * 2));

            RawHttp.Response refused = connection.read();

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Connection")).contains("close");
        }
    }

    @Test
    void whenARefusedRequestNeverSendsItsDeclaredBodyThenTheRefusalStillArrivesAndSaysConnectionClose()
            throws Exception {
        try (SecurityFixture fx = SecurityFixture.start();
                RawHttp.KeptAlive connection = new RawHttp.KeptAlive(fx.uri("/"))) {
            connection.write("POST /mcp HTTP/1.1\r\nHost: " + fx.uri("/").getAuthority()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\"");

            // read() gives up after 10 s, well before the container's 30 s idle timeout would end a blocked read
            RawHttp.Response refused = connection.read();

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Connection")).contains("close");
        }
    }
}
