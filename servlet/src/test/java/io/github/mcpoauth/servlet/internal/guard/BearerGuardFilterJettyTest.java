package io.github.mcpoauth.servlet.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcpoauth.servlet.guard.McpAuthContext;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard on real Jetty 12 (ee10), in front of the real MCP Java SDK servlet transport, driven by the SDK's
 * own client and by raw HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerGuardFilterJettyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    private Server server;
    private McpSyncServer mcp;
    private String base;
    private GuardFixture fixture;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(64 * 1024); // let oversized Authorization headers reach the guard
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setPort(0);
        server.addConnector(connector);
        connector.open();
        base = "http://localhost:" + connector.getLocalPort();
        fixture = new GuardFixture(base + "/mcp");

        BearerGuardFilter guard = BearerGuardFilter.builder(fixture.settings, fixture.verifier)
                .scopeRules(McpScopeRules.builder().tool("delete_everything", "admin").build())
                .maxBodyBytes(64 * 1024)
                .allowCorsPreflight(true)
                .build();

        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .contextExtractor(McpAuthContext.extractor((request, values) -> values.put("sawAuthorization",
                        request.getHeader("Authorization") != null
                                || Collections.list(request.getHeaderNames()).stream()
                                        .anyMatch("authorization"::equalsIgnoreCase))))
                .build();
        mcp = McpServer.sync(transport)
                .serverInfo("guard-test", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .toolCall(tool("whoami"), (exchange, request) -> {
                    String who = McpAuthContext.principal(exchange)
                            .map(p -> p.subject() + "|" + p.clientId() + "|" + String.join(" ", p.scopes()))
                            .orElse("anonymous");
                    return CallToolResult.builder()
                            .addTextContent(who + "|sawAuthorization=" + exchange.transportContext()
                                    .get("sawAuthorization"))
                            .build();
                })
                .toolCall(tool("delete_everything"),
                        (exchange, request) -> CallToolResult.builder().addTextContent("deleted").build())
                .build();

        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder guardHolder = new FilterHolder(guard);
        guardHolder.setAsyncSupported(true);
        context.addFilter(guardHolder, "/mcp", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(guardHolder, "/probe/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder mcpHolder = new ServletHolder(transport);
        mcpHolder.setAsyncSupported(true);
        context.addServlet(mcpHolder, "/mcp");
        context.addServlet(new ServletHolder(new ProbeServlet()), "/probe/*");
        context.addFilter(guardHolder, "/async-probe/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder asyncProbe = new ServletHolder(new AsyncProbeServlet());
        asyncProbe.setAsyncSupported(true);
        context.addServlet(asyncProbe, "/async-probe/*");
        ServletHolder metadata = new ServletHolder(ProtectedResourceMetadataServlet.of(fixture.settings));
        for (String pattern : ProtectedResourceMetadataServlet.URL_PATTERNS) {
            context.addServlet(metadata, pattern);
        }
        server.setHandler(context);
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        mcp.closeGracefully();
        server.stop();
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder(name, Map.of("type", "object")).description(name).build();
    }

    /** Echoes what a servlet behind the guard can see. */
    static final class ProbeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("authorization", req.getHeader("Authorization"));
            seen.put("authorizationValues", Collections.list(req.getHeaders("authorization")).size());
            seen.put("headerNames", Collections.list(req.getHeaderNames()).stream()
                    .anyMatch("authorization"::equalsIgnoreCase));
            seen.put("user", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
            seen.put("remoteUser", req.getRemoteUser());
            seen.put("authType", req.getAuthType());
            seen.put("inRoleTools", req.isUserInRole("tools"));
            seen.put("inRoleAdmin", req.isUserInRole("admin"));
            seen.put("principalAttribute", BearerGuardFilter.principal(req).map(p -> p.clientId()).orElse(null));
            seen.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            resp.setContentType("application/json");
            resp.getWriter().write(JSON.writeValueAsString(seen));
        }
    }

    /** Like the MCP transport: starts async and looks at the request through the AsyncContext. */
    static final class AsyncProbeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            jakarta.servlet.AsyncContext async = req.startAsync();
            async.start(() -> {
                try {
                    HttpServletRequest seen = (HttpServletRequest) async.getRequest();
                    async.getResponse().setContentType("text/plain");
                    async.getResponse().getWriter().write("authorization=" + seen.getHeader("Authorization")
                            + " user=" + seen.getRemoteUser());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                .endpoint("/mcp")
                .addHttpRequestCustomizer((builder, method, uri, body, context) ->
                        builder.header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private static CallToolRequest call(String tool) {
        return CallToolRequest.builder(tool).arguments(Map.of()).build();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private String challenge(HttpResponse<?> response) {
        return response.headers().firstValue("WWW-Authenticate").orElse(null);
    }

    // ---- no token: discovery (SECURITY case 27)

    @Test
    void postWhenNoTokenThen401WithResourceMetadataAndScopeButNoErrorCode() throws Exception {
        HttpResponse<String> response = post("/mcp", INITIALIZE);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer scope=\"mcp\", "
                + "resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void getWhenFollowingTheChallengeThenRfc9728Document() throws Exception {
        HttpResponse<String> suffixed = get("/.well-known/oauth-protected-resource/mcp");
        HttpResponse<String> root = get("/.well-known/oauth-protected-resource");
        HttpResponse<String> unknown = get("/.well-known/oauth-protected-resource/other");

        assertThat(suffixed.statusCode()).isEqualTo(200);
        assertThat(suffixed.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(suffixed.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        JsonNode doc = JSON.readTree(suffixed.body());
        assertThat(doc.get("resource").asText()).isEqualTo(base + "/mcp");
        assertThat(doc.get("authorization_servers").get(0).asText()).isEqualTo(GuardFixture.ISSUER);
        assertThat(doc.get("scopes_supported").toString()).isEqualTo("[\"mcp\",\"tools\",\"admin\"]");
        assertThat(doc.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(doc.get("resource_name").asText()).isEqualTo("Test MCP server");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).isEqualTo(suffixed.body());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    // ---- valid token: the MCP session works and tools see the principal

    @Test
    void mcpWhenTokenValidThenInitializeWorksAndToolSeesThePrincipalButNotTheToken() {
        try (McpSyncClient client = client(fixture.token("mcp tools", "grant-whoami"))) {
            client.initialize();

            String who = text(client.callTool(call("whoami")));

            assertThat(who).isEqualTo("alice|client-1|mcp tools|sawAuthorization=false");
        }
    }

    @Test
    void mcpWhenToolNeedsAScopeTheTokenLacksThenToolsListWorksButTheCallIsRefused() {
        try (McpSyncClient client = client(fixture.token("mcp tools", "grant-no-admin"))) {
            client.initialize();

            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("whoami", "delete_everything");
            assertThat(text(client.callTool(call("whoami")))).startsWith("alice|");
            assertThatThrownBy(() -> client.callTool(call("delete_everything")))
                    .isInstanceOfSatisfying(McpHttpClientTransportAuthorizationException.class, e -> {
                        assertThat(e.getResponseInfo().statusCode()).isEqualTo(403);
                        assertThat(e.getResponseInfo().headers().firstValue("WWW-Authenticate").orElseThrow())
                                .contains("error=\"insufficient_scope\"").contains("scope=\"mcp admin\"");
                    });
        }
    }

    @Test
    void postWhenToolNeedsAScopeTheTokenLacksThen403InsufficientScopeNamingEveryScopeNeeded() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"delete_everything\",\"arguments\":{}}}";

        HttpResponse<String> response = post("/mcp", call, "Authorization",
                "Bearer " + fixture.token("mcp tools", "grant-no-admin"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"mcp admin\"")
                .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("insufficient_scope");
    }

    @Test
    void mcpWhenTokenHasTheToolsScopeThenTheCallSucceedsAndTheBodyReachedTheSdkIntact() {
        try (McpSyncClient client = client(fixture.token("mcp admin", "grant-admin"))) {
            client.initialize();

            CallToolRequest call = CallToolRequest.builder("delete_everything").arguments(Map.of("really", true))
                    .build();

            assertThat(text(client.callTool(call))).isEqualTo("deleted");
        }
    }

    @Test
    void postWhenEndpointScopeMissingThen403() throws Exception {
        HttpResponse<String> response = post("/mcp", INITIALIZE, "Authorization",
                "Bearer " + fixture.token("tools", "grant-no-mcp"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).contains("error=\"insufficient_scope\"").contains("scope=\"mcp\"");
    }

    // ---- refused tokens and requests (SECURITY cases 27-29, 31)

    @Test
    void postWhenTokenInvalidThen401InvalidTokenWithResourceMetadata() throws Exception {
        for (String token : List.of("garbage", fixture.token("mcp", "grant-x") + "x",
                fixture.sign(fixture.claims("mcp", "grant-x").audience("http://localhost:1/other").build()))) {
            HttpResponse<String> response = post("/mcp", INITIALIZE, "Authorization", "Bearer " + token);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(challenge(response)).isEqualTo("Bearer error=\"invalid_token\", error_description=\"The "
                    + "access token is invalid\", scope=\"mcp\", resource_metadata=\"" + base
                    + "/.well-known/oauth-protected-resource/mcp\"");
            assertThat(response.body()).doesNotContain(token.substring(0, 5));
        }
    }

    @Test
    void postWhenTokenInTheQueryStringThen400InvalidRequest() throws Exception {
        String token = fixture.token("mcp", "grant-q");

        HttpResponse<String> alone = post("/mcp?access_token=" + token, INITIALIZE);
        HttpResponse<String> withHeader = post("/mcp?x=1&access%5Ftoken=" + token, INITIALIZE, "Authorization",
                "Bearer " + token);

        for (HttpResponse<String> response : List.of(alone, withHeader)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(challenge(response)).startsWith("Bearer error=\"invalid_request\"");
        }
    }

    @Test
    void postWhenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
        String token = fixture.token("mcp", "grant-dup");

        HttpResponse<String> response = post("/mcp", INITIALIZE, "Authorization", "Bearer " + token,
                "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(challenge(response)).startsWith("Bearer error=\"invalid_request\"");
    }

    @Test
    void postWhenNotBearerOrEmptyThen401InvalidToken() throws Exception {
        for (String value : List.of("Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer ", "Bearer    ", "Bearerabc",
                "Token abc", "Bearer a b", "Bearer a,Bearer b")) {
            HttpResponse<String> response = post("/mcp", INITIALIZE, "Authorization", value);

            assertThat(response.statusCode()).as(value).isEqualTo(401);
            assertThat(challenge(response)).as(value).startsWith("Bearer error=\"invalid_token\"");
        }
    }

    @Test
    void postWhenSchemeInOtherCaseThenAccepted() throws Exception {
        HttpResponse<String> response = post("/probe/x", "{}", "Authorization",
                "bEaReR " + fixture.token("mcp", "grant-case"));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void postWhenAuthorizationHeaderOfManyKilobytesThen401() throws Exception {
        HttpResponse<String> response = post("/mcp", INITIALIZE, "Authorization", "Bearer " + "a".repeat(12_000));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).startsWith("Bearer error=\"invalid_token\"");
    }

    @Test
    void mcpWhenGrantRevokedThenTheNextRequestIsRefused() throws Exception {
        String token = fixture.token("mcp tools", "grant-revoked");
        try (McpSyncClient client = client(token)) {
            client.initialize();
            assertThat(text(client.callTool(call("whoami")))).startsWith("alice|");

            fixture.stores.grants().revoke("grant-revoked");

            assertThatThrownBy(() -> client.callTool(call("whoami")))
                    .isInstanceOfSatisfying(McpHttpClientTransportAuthorizationException.class, e -> {
                        assertThat(e.getResponseInfo().statusCode()).isEqualTo(401);
                        assertThat(e.getResponseInfo().headers().firstValue("WWW-Authenticate").orElseThrow())
                                .contains("error=\"invalid_token\"");
                    });
        }
        assertThat(post("/mcp", INITIALIZE, "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    }

    // ---- what the servlet behind sees (SECURITY case 33)

    @Test
    void postWhenForwardedThenPrincipalVisibleAuthorizationHiddenAndBodyReadable() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\","
                + "\"arguments\":{\"text\":\"h\u00e9llo\"}}}";

        HttpResponse<String> response = post("/probe/x", body, "Authorization",
                "Bearer " + fixture.token("mcp tools", "grant-probe"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.get("authorization").isNull()).isTrue();
        assertThat(seen.get("authorizationValues").asInt()).isZero();
        assertThat(seen.get("headerNames").asBoolean()).isFalse();
        assertThat(seen.get("user").asText()).isEqualTo("alice");
        assertThat(seen.get("remoteUser").asText()).isEqualTo("alice");
        assertThat(seen.get("authType").asText()).isEqualTo("Bearer");
        assertThat(seen.get("inRoleTools").asBoolean()).isTrue();
        assertThat(seen.get("inRoleAdmin").asBoolean()).isFalse();
        assertThat(seen.get("principalAttribute").asText()).isEqualTo("client-1");
        assertThat(seen.get("body").asText()).isEqualTo(body);
    }

    @Test
    void postWhenServletGoesAsyncThenTheAsyncRequestStillHidesTheToken() throws Exception {
        HttpResponse<String> response = post("/async-probe/x", "{}", "Authorization",
                "Bearer " + fixture.token("mcp", "grant-async"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("authorization=null user=alice");
    }

    // ---- body inspection limits

    @Test
    void postWhenBodyLargerThanTheLimitThen413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
                + "x".repeat(70 * 1024) + "\"}}";

        HttpResponse<String> response = post("/mcp", big, "Authorization", "Bearer " + fixture.token("mcp", "g-big"));

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void postWhenBodyIsAmbiguousOrNotJsonRpcThen400() throws Exception {
        String token = fixture.token("mcp tools admin", "g-malformed");
        List<String> bodies = List.of(
                "not json",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\","
                        + "\"name\":\"delete_everything\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":42}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"} {\"method\":\"x\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":[\"tools/call\"]}",
                "[" + "[".repeat(2000) + "]".repeat(2000) + "]");

        for (String body : bodies) {
            HttpResponse<String> response = post("/mcp", body, "Authorization", "Bearer " + token);

            assertThat(response.statusCode()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(400);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    void postWhenBatchCallsAGuardedToolThen403() throws Exception {
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"},{\"jsonrpc\":\"2.0\",\"id\":2,"
                + "\"method\":\"tools/call\",\"params\":{\"name\":\"delete_everything\"}}]";

        HttpResponse<String> response = post("/mcp", batch, "Authorization",
                "Bearer " + fixture.token("mcp tools", "g-batch"));

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void optionsWhenCorsPreflightAndAllowedThenPassesWithoutAToken() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/probe/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> plainOptions = http.send(HttpRequest.newBuilder(URI.create(base + "/probe/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(plainOptions.statusCode()).isEqualTo(401);
    }
}
