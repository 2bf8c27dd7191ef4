package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/** The example's MCP endpoint with the Java SDK client (no node needed). */
class ExampleServerTest {

    @Test
    void whenNoTokenThenMcpEndpointChallengesWithResourceMetadata() throws Exception {
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(example.mcpUri())
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String metadataUrl = example.baseUri() + "/.well-known/oauth-protected-resource/mcp";
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer ").contains("resource_metadata=\"" + metadataUrl + "\"");
            HttpResponse<String> prm = http.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(prm.statusCode()).isEqualTo(200);
            assertThat(prm.body()).contains("\"resource\":\"" + example.mcpUri() + "\"")
                    .contains("\"authorization_servers\":[\"" + example.baseUri() + "\"]");
        }
    }

    @Test
    void startsOnEphemeralPortAndServesToolsAnonymouslyWithoutAuthorization() throws Exception {
        AuthorizationInstaller none = (ctx, issuer) -> { };
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral().withAuthorizationInstaller(none))) {
            assertThat(example.port()).isPositive();
            assertThat(example.baseUri()).hasToString("http://127.0.0.1:" + example.port());
            assertThat(example.mcpUri()).hasToString(example.baseUri() + "/mcp");

            try (McpSyncClient client = client(example, null)) {
                client.initialize();
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                        .containsExactlyInAnyOrder("whoami", "echo");
                assertThat(text(client.callTool(call("whoami", Map.of()))))
                        .isEqualTo(ExampleMcpServer.ANONYMOUS);
                assertThat(text(client.callTool(call("echo", Map.of("message", "hi")))))
                        .isEqualTo("hi");
                McpSchema.CallToolResult bad = client.callTool(call("echo", Map.of()));
                assertThat(bad.isError()).isTrue();
            }
        }
    }

    /**
     * Whatever sets getUserPrincipal() (later: the mcp-oauth bearer guard) reaches whoami via the transport context.
     */
    @Test
    void whoamiReportsTheServletPrincipal() throws Exception {
        AuthorizationInstaller headerAuth = (ctx, issuer) -> ctx.addFilter(new FilterHolder(new HttpFilter() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                    throws IOException, ServletException {
                String user = req.getHeader("X-Test-User");
                Principal principal = user == null ? null : () -> user;
                chain.doFilter(new HttpServletRequestWrapper(req) {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }
                }, res);
            }
        }), ExampleServer.MCP_PATH, EnumSet.of(DispatcherType.REQUEST));

        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral()
                .withAuthorizationInstaller(headerAuth));
             McpSyncClient client = client(example, "bob")) {
            client.initialize();
            assertThat(text(client.callTool(call("whoami", Map.of())))).isEqualTo("bob");
        }
    }

    @Test
    void installerSeesTheBoundPortInTheIssuer() throws Exception {
        URI[] seen = new URI[1];
        try (RunningExample example = ExampleServer.start(
                ExampleConfig.ephemeral().withAuthorizationInstaller((ctx, issuer) -> seen[0] = issuer))) {
            assertThat(seen[0]).isEqualTo(example.baseUri());
        }
    }

    @Test
    void explicitIssuerIsUsedAsBaseUri() throws Exception {
        ExampleConfig config = ExampleConfig.ephemeral().withIssuer(URI.create("https://mcp.example.test/"));
        try (RunningExample example = ExampleServer.start(config)) {
            assertThat(example.baseUri()).hasToString("https://mcp.example.test");
            HttpResponse<String> home = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + example.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("Sign in");
        }
    }

    private static McpSyncClient client(RunningExample example, String user) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
                .builder(example.baseUri().toString())
                .endpoint(ExampleServer.MCP_PATH);
        if (user != null) {
            transport.requestBuilder(HttpRequest.newBuilder().header("X-Test-User", user));
        }
        return McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(20)).build();
    }

    private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
