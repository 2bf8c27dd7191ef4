package io.github.mcpoauth.examples.jetty;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The MCP side of the example, built with the official MCP Java SDK (2.x): a Streamable HTTP servlet transport
 * and a sync server with two tools, {@code whoami} and {@code echo}.
 *
 * <p>The caller's identity reaches tool handlers through the SDK's transport context: the
 * {@link McpTransportContextExtractor} runs on the servlet request thread for every POST/GET/DELETE on
 * {@code /mcp}, reads {@link HttpServletRequest#getUserPrincipal()} (set by whatever authenticates the request,
 * e.g. the mcp-oauth bearer guard) and stores it in the {@link McpTransportContext}; the tool handler reads it back
 * from {@link McpSyncServerExchange#transportContext()}.
 */
public final class ExampleMcpServer implements AutoCloseable {

    /** Transport-context key holding the request's {@link Principal} (absent when anonymous). */
    public static final String PRINCIPAL_KEY = "io.github.mcpoauth.examples.principal";

    /** What {@code whoami} answers when the request carried no principal. */
    public static final String ANONYMOUS = "anonymous";

    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;

    private ExampleMcpServer(HttpServletStreamableServerTransportProvider transport, McpSyncServer server) {
        this.transport = transport;
        this.server = server;
    }

    /**
     * Builds the transport (a servlet, to be mapped at {@code mcpPath} with async support) and the MCP server.
     */
    public static ExampleMcpServer create(String mcpPath) {
        McpJsonMapper json = McpJsonDefaults.getMapper(); // Jackson 2 via mcp-json-jackson2 (ServiceLoader)

        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json)
                .mcpEndpoint(mcpPath) // the transport 404s any request whose URI does not end with this
                .contextExtractor(ExampleMcpServer::extractContext)
                .build();

        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("mcp-oauth-example", "0.1.0")
                .instructions("Example MCP server protected by mcp-oauth. Try the whoami tool.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(whoamiTool(json), echoTool(json))
                .build();

        return new ExampleMcpServer(transport, server);
    }

    /** The servlet to register; it must be mapped with async support enabled. */
    public HttpServletStreamableServerTransportProvider servlet() {
        return transport;
    }

    public McpSyncServer server() {
        return server;
    }

    @Override
    public void close() {
        server.closeGracefully();
    }

    /**
     * Runs on the container thread for each request to the MCP endpoint: one immutable one-entry map (which the
     * SDK's copy keeps as it is), or the shared empty context when anonymous.
     */
    static McpTransportContext extractContext(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? McpTransportContext.EMPTY
                : McpTransportContext.create(Map.of(PRINCIPAL_KEY, principal));
    }

    /** The principal the transport context carries, or {@code null}. */
    public static Principal principal(McpSyncServerExchange exchange) {
        McpTransportContext ctx = exchange.transportContext();
        Object value = ctx == null ? null : ctx.get(PRINCIPAL_KEY);
        return value instanceof Principal p ? p : null;
    }

    static SyncToolSpecification whoamiTool(McpJsonMapper json) {
        McpSchema.Tool tool = McpSchema.Tool.builder("whoami", json, """
                        {"type": "object", "properties": {}, "additionalProperties": false}
                        """)
                .title("Who am I")
                .description("Returns the authenticated caller: subject, then client id, scopes and audience"
                        + " (or \"anonymous\").")
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    Principal principal = principal(exchange);
                    String name = principal == null || principal.getName() == null ? ANONYMOUS : principal.getName();
                    CallToolResult.Builder result = CallToolResult.builder().addTextContent(name);
                    if (principal instanceof AccessTokenPrincipal token) {
                        // The token itself never reaches the tool: only what the guard verified.
                        result.addTextContent("subject=" + token.subject() + " client_id=" + token.clientId()
                                + " scopes=" + String.join(" ", new java.util.TreeSet<>(token.scopes()))
                                + " audience="
                                + String.join(" ", token.audience().stream().map(Object::toString).toList()));
                    }
                    return result.build();
                })
                .build();
    }

    static SyncToolSpecification echoTool(McpJsonMapper json) {
        McpSchema.Tool tool = McpSchema.Tool.builder("echo", json, """
                        {"type": "object",
                         "properties": {"message": {"type": "string", "description": "Text to echo"}},
                         "required": ["message"],
                         "additionalProperties": false}
                        """)
                .title("Echo")
                .description("Echoes the given message back.")
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    Object message = arguments(request).get("message");
                    if (!(message instanceof String text)) {
                        return CallToolResult.builder()
                                .addTextContent("argument 'message' (string) is required")
                                .isError(true)
                                .build();
                    }
                    return CallToolResult.builder().content(List.of(McpSchema.TextContent.builder(text).build()))
                            .build();
                })
                .build();
    }

    private static Map<String, Object> arguments(CallToolRequest request) {
        return request.arguments() == null ? Map.of() : request.arguments();
    }
}
