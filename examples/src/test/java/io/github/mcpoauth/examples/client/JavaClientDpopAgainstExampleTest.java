package io.github.mcpoauth.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;


import io.github.mcpoauth.client.McpOAuthClient;
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
 * mcp-oauth-client with DPoP on, through the MCP Java SDK, against the example as it ships (DPoP accepted, server
 * nonces on) over real HTTP: the token endpoint asks for a nonce, binds the token to the client's key, the guard
 * asks for its own nonce and then accepts every call with a fresh proof; the same token sent as a bearer token
 * is refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JavaClientDpopAgainstExampleTest {

    @TempDir
    Path dir;

    @Test
    void whenJavaClientUsesDpopThenTokenIsBoundAndToolsWorkAndBearerDowngradeIsRefused() throws Exception {
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral())) {
            HeadlessLogin browser = new HeadlessLogin("alice", "alice-password");
            TokenStore store = TokenStore.file(dir.resolve("tokens.json"));
            McpOAuthClient oauth = McpOAuthClient.builder(example.mcpUri()).clientName("java-dpop-test")
                    .authorizationUrlHandler(browser).tokenStore(store).dpop(true)
                    .requestTimeout(Duration.ofSeconds(30)).loginTimeout(Duration.ofSeconds(60)).build();
            HttpClientStreamableHttpTransport transport = McpSdkAuthorization.configure(
                    HttpClientStreamableHttpTransport.builder(example.baseUri().toString())
                            .endpoint(ExampleServer.MCP_PATH), oauth).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                    .clientInfo(new McpSchema.Implementation("java-dpop-test", "1.0.0")).build()) {
                client.initialize();
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("whoami");
                McpSchema.CallToolResult result = client.callTool(
                        new McpSchema.CallToolRequest("whoami", java.util.Map.of()));
                assertThat(result.content().toString()).contains("alice");
            }
            String header = oauth.authorizationHeader().orElseThrow();
            assertThat(header).startsWith("DPoP ");
            String token = header.substring("DPoP ".length());

            // the same token without its proof, as a bearer token: refused, with a DPoP challenge (it is bound:
            // cnf.jkt; the token is the server's compact same-app form, which only the server reads)
            HttpResponse<String> downgrade = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(example.mcpUri().toString())).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(downgrade.statusCode()).isEqualTo(401);
            assertThat(downgrade.headers().allValues("WWW-Authenticate").get(0)).startsWith("DPoP ")
                    .contains("invalid_token");
        }
    }
}
