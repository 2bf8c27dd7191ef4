/**
 * mcp-oauth-servlet: mounts mcp-oauth-core on a Jakarta Servlet 6 container: the authorization server's endpoints,
 * login and consent, and the bearer guard of the MCP endpoint (installable alone, for an external authorization
 * server).
 *
 * <p>Only the API packages are exported; the {@code internal} packages may change in any release.
 */
module io.github.mcpoauth.servlet {
    requires transitive io.github.mcpoauth.core;
    requires transitive jakarta.servlet;
    requires static io.modelcontextprotocol.sdk.mcp.core;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;

    exports io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.servlet.consent;
    exports io.github.mcpoauth.servlet.guard;
    exports io.github.mcpoauth.servlet.limit;
    exports io.github.mcpoauth.servlet.login;
}
