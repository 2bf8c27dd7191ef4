/**
 * mcp-oauth-client: the MCP client side of OAuth 2.1 on the JDK HttpClient.
 */
module io.github.mcpoauth.client {
    requires java.net.http;
    requires jdk.httpserver;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires static io.modelcontextprotocol.sdk.mcp.core;
    requires static org.reactivestreams;
    requires static reactor.core;

    exports io.github.mcpoauth.client;
    exports io.github.mcpoauth.client.mcpsdk;
}
