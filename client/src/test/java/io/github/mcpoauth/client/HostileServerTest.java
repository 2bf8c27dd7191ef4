package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile or broken servers get a {@link ClientAuthorizationException} naming what was wrong: never a hang, never an
 * authorization request sent where it should not go, never a token in the message.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostileServerTest {

    private static final String PRM = "/.well-known/oauth-protected-resource/mcp";
    private static final String ASM = "/.well-known/oauth-authorization-server";

    private FakeServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private McpOAuthClient client() {
        return McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(30)).build();
    }

    private void assertRefused(String messagePart) {
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining(messagePart);
        assertThat(server.authorizeRequests).hasValue(0);
        assertThat(server.tokenRequests).hasValue(0);
    }

    @Test
    void whenMetadataNamesAnotherIssuerThenNoAuthorizationRequest() {
        server.documents.put(ASM, server.documents.get(ASM).replace("\"issuer\":\"" + server.base + "\"",
                "\"issuer\":\"https://evil.example\""));
        assertRefused("another issuer");
    }

    @Test
    void whenResourceMetadataIsForAnotherResourceThenNoAuthorizationRequest() {
        server.documents.put(PRM, server.documents.get(PRM).replace(server.base + "/mcp", "https://other.example/mcp"));
        assertRefused("another resource");
    }

    @Test
    void whenResourceMetadataIsForASiblingPathThenNoAuthorizationRequest() {
        server.documents.put(PRM, server.documents.get(PRM).replace(server.base + "/mcp", server.base + "/mcp-admin"));
        assertRefused("another resource");
    }

    @Test
    void whenMetadataRedirectsToAnotherHostThenRefused() {
        server.overrides.put(ASM, ex -> {
            ex.getResponseHeaders().set("Location", "http://localhost:1/.well-known/oauth-authorization-server");
            sendQuietly(ex, 302, "");
            return true;
        });
        assertRefused("redirects to another host");
    }

    @Test
    void whenMetadataIsOversizedThenRefused() {
        server.documents.put(ASM, "{\"issuer\":\"" + server.base + "\",\"pad\":\"" + "x".repeat(400_000) + "\"}");
        assertRefused("larger than");
    }

    @Test
    void whenMetadataIsMalformedThenRefused() {
        server.documents.put(ASM, "{\"issuer\": [unterminated");
        assertRefused("not a JSON object");
    }

    @Test
    void whenMetadataOmitsS256ThenNoAuthorizationWithoutPkce() {
        server.documents.put(ASM, server.documents.get(ASM).replace("\"code_challenge_methods_supported\":[\"S256\"],",
                ""));
        assertRefused("S256");
    }

    @Test
    void whenMetadataEndpointIsPlainHttpOnAnotherHostThenRefused() {
        server.documents.put(ASM,
                server.documents.get(ASM).replace(server.base + "/token", "http://evil.example/token"));
        assertRefused("https");
    }

    @Test
    void whenServerIsSlowThenTheRequestTimesOut() {
        server.overrides.put(ASM, server::stall);
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("did not answer within");
    }

    @Test
    void whenServerTricklesItsBodyThenTheRequestTimesOut() {
        server.overrides.put(ASM, ex -> {
            try {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0); // chunked
                ex.getResponseBody().write("{\"issuer\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ex.getResponseBody().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return server.stall(ex);
        });
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("did not answer within");
    }

    @Test
    void whenStateDoesNotMatchThenTheResponseIsRefusedAndNoTokenRequest() {
        server.redirectTamper = q -> "code=c&state=forged&iss=" + server.base;
        // the listener refuses the foreign response and waits for the real one until the login deadline
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(20)).loginTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("without the request's state");
        assertThat(server.tokenRequests).hasValue(0);
    }

    @Test
    void whenRegistrationGrantsAnUnsupportedAuthMethodThenItIsRefusedAndNotKept() {
        TokenStore store = TokenStore.inMemory();
        server.overrides.put("/register", ex -> {
            sendQuietly(ex, 201, "{\"client_id\":\"c9\",\"client_secret\":\"s3cret\","
                    + "\"token_endpoint_auth_method\":\"client_secret_jwt\"}");
            return true;
        });
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .tokenStore(store).requestTimeout(Duration.ofSeconds(20)).build();

        assertThatThrownBy(() -> server.call(client)).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("client_secret_jwt").hasMessageNotContaining("s3cret");
        assertThat(store.client(server.base)).isEmpty();
        assertThat(server.authorizeRequests).hasValue(0);
    }

    @Test
    void whenIssIsAnotherIssuerThenNoTokenRequest() {
        server.redirectTamper = q -> "code=c&state=" + q.get("state") + "&iss=https://evil.example";
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("iss");
        assertThat(server.tokenRequests).hasValue(0);
    }

    @Test
    void whenIssIsMissingThoughAdvertisedThenNoTokenRequest() {
        server.redirectTamper = q -> "code=c&state=" + q.get("state");
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("lacks iss");
        assertThat(server.tokenRequests).hasValue(0);
    }

    @Test
    void whenIssDiffersOnlyByTrailingSlashThenRefused() {
        server.redirectTamper = q -> "code=c&state=" + q.get("state") + "&iss=" + server.base + "/";
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void whenTokenEndpointRefusesThenTheErrorIsNamedAndNoSecretShown() {
        server.overrides.put("/token", ex -> {
            sendQuietly(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}");
            return true;
        });
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("invalid_grant").hasMessageNotContaining("code_verifier");
    }

    @Test
    void whenAuthorizationServerRedirectsWithAnErrorThenItIsNamed() {
        server.redirectTamper = q -> "error=access_denied&state=" + q.get("state") + "&iss=" + server.base;
        assertThatThrownBy(() -> server.call(client())).isInstanceOf(ClientAuthorizationException.class)
                .hasMessageContaining("access_denied");
    }

    private static void sendQuietly(com.sun.net.httpserver.HttpExchange ex, int status, String body) {
        try {
            FakeServer.send(ex, status, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
