package io.github.mcpoauth.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import io.github.mcpoauth.client.McpOAuthClient;
import io.github.mcpoauth.client.StoredClient;
import io.github.mcpoauth.client.StoredTokens;
import io.github.mcpoauth.client.TokenStore;
import io.github.mcpoauth.client.mcpsdk.McpSdkAuthorization;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * docs/security.md case 46 over real HTTP: mcp-oauth-client with DPoP on (a public client) gets a refresh token
 * bound to its key from the example; the stolen refresh token presented without a proof is refused with
 * {@code invalid_grant} and does not rotate, and the client's own refresh (with a proof) still works and keeps the
 * binding.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JavaClientDpopRefreshAgainstExampleTest {

    /** MCP {@code ping} with {@code authorization} and no DPoP proof. */
    private static HttpResponse<String> pingWithoutProof(URI mcp, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void whenBoundRefreshTokenIsStolenThenWithoutTheKeyItIsRefusedAndTheClientStillRefreshes() throws Exception {
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral())) {
            HeadlessLogin browser = new HeadlessLogin("alice", "alice-password");
            TokenStore store = TokenStore.inMemory();
            McpOAuthClient oauth = McpOAuthClient.builder(example.mcpUri()).clientName("java-dpop-refresh-test")
                    .authorizationUrlHandler(browser).tokenStore(store).dpop(true)
                    .requestTimeout(Duration.ofSeconds(30)).loginTimeout(Duration.ofSeconds(60)).build();
            HttpClientStreamableHttpTransport transport = McpSdkAuthorization.configure(
                    HttpClientStreamableHttpTransport.builder(example.baseUri().toString())
                            .endpoint(ExampleServer.MCP_PATH), oauth).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                    .clientInfo(new McpSchema.Implementation("java-dpop-refresh-test", "1.0.0")).build()) {
                client.initialize();
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("whoami");
            }
            StoredTokens held = store.tokens(example.mcpUri().toString()).orElseThrow();
            assertThat(held.tokenType()).isEqualTo("DPoP");
            String stolen = held.refreshToken().orElseThrow();
            StoredClient registration = store.client(held.issuer()).orElseThrow();
            assertThat(registration.authMethod()).isEqualTo("none");

            // the thief: the refresh token and the client id, but not the key
            HttpClient http = HttpClient.newHttpClient();
            URI issuer = URI.create(held.issuer());
            String issuerPath = issuer.getPath() == null || "/".equals(issuer.getPath()) ? "" : issuer.getPath();
            String metadata = http.send(HttpRequest.newBuilder(
                            issuer.resolve("/.well-known/oauth-authorization-server" + issuerPath))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            URI tokenEndpoint = URI.create((String) JSONObjectUtils.parse(metadata).get("token_endpoint"));
            HttpResponse<String> theft = http.send(HttpRequest.newBuilder(tokenEndpoint)
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "refresh_token",
                            "refresh_token", stolen, "client_id", registration.clientId())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(theft.statusCode()).as(theft.body()).isEqualTo(400);
            assertThat(theft.body()).contains("\"invalid_grant\"");

            // the client itself: its access token refused (as after expiry), it refreshes with a proof of its key
            assertThat(oauth.handleAuthorizationError(401, List.of("DPoP error=\"invalid_token\""),
                    Optional.of("DPoP " + held.accessToken()))).isTrue();
            StoredTokens renewed = store.tokens(example.mcpUri().toString()).orElseThrow();
            assertThat(renewed.accessToken()).isNotEqualTo(held.accessToken());
            assertThat(renewed.refreshToken()).isPresent().get().isNotEqualTo(stolen);
            // the new token is bound as the old one was: refused as a bearer token, taken with the client's proofs
            HttpResponse<String> downgrade = pingWithoutProof(example.mcpUri(), "Bearer " + renewed.accessToken());
            assertThat(downgrade.statusCode()).isEqualTo(401);
            assertThat(downgrade.headers().allValues("WWW-Authenticate").get(0)).startsWith("DPoP ");
            try (McpSyncClient client = McpClient.sync(McpSdkAuthorization.configure(
                            HttpClientStreamableHttpTransport.builder(example.baseUri().toString())
                                    .endpoint(ExampleServer.MCP_PATH), oauth).build())
                    .requestTimeout(Duration.ofSeconds(60))
                    .clientInfo(new McpSchema.Implementation("java-dpop-refresh-test", "1.0.0")).build()) {
                client.initialize();
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("whoami");
            }
            assertThat(store.tokens(example.mcpUri().toString()).orElseThrow().accessToken())
                    .as("no further refresh: the renewed token was taken").isEqualTo(renewed.accessToken());
        }
    }
}
