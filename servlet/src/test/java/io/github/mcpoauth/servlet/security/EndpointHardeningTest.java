package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.testing.McpClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Response hardening of the JSON endpoints: content sniffing, methods, body limits, HEAD. */
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
}
