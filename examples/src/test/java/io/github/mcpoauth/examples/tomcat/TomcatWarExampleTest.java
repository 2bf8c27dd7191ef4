package io.github.mcpoauth.examples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.catalina.LifecycleState;
import org.junit.jupiter.api.Test;

/**
 * The WAR example on embedded Tomcat 11 under {@code /app}; the TypeScript SDK flow against it runs in
 * {@code TypeScriptSdkInteropTest} (one {@code npm ci} for the module).
 */
class TomcatWarExampleTest {

    @Test
    void whenMcpIsCalledWithoutTokenThenTheChallengePointsAtMetadataThatIsServed() throws Exception {
        try (TomcatWarExample war = TomcatWarExample.start()) {
            assertThat(war.app().getState()).isEqualTo(LifecycleState.STARTED);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(URI.create(war.appUri() + "/mcp"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(challenge.statusCode()).isEqualTo(401);
            URI metadata = URI.create(war.baseUri() + "/.well-known/oauth-protected-resource/app/mcp");
            assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("resource_metadata=\"" + metadata + "\"");

            HttpResponse<String> doc = http.send(HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(doc.body()).contains("\"resource\":\"" + war.appUri() + "/mcp\"");

            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(war.appUri() + "/login"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("action=\"/app/login\"");
        }
    }
}
