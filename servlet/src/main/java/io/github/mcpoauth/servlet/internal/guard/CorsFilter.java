package io.github.mcpoauth.servlet.internal.guard;

import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;

/**
 * Lets browser-based MCP clients (the MCP Inspector in direct mode, the TypeScript SDK in a page) reach a protected
 * MCP endpoint and its RFC 9728 metadata: answers CORS preflights itself (before the bearer guard, which would
 * refuse them for lack of a token), allowing the MCP request headers ({@code Mcp-Method},
 * {@code Mcp-Name}, {@code Mcp-Param-*} and {@code DPoP} among them), and lets scripts read
 * {@code WWW-Authenticate} (where {@code resource_metadata} is), {@code Mcp-Session-Id}, {@code Retry-After} and
 * {@code DPoP-Nonce}.
 *
 * <p>Any origin is allowed, without credentials: access is by bearer token, which a foreign page does not have,
 * never by cookie, so there is nothing for another origin to ride on. Hosts that want an origin allow-list mount
 * their own filter instead ({@code McpOAuth.Builder.cors(false)}). The headers are the edge's
 * ({@link EdgeWriter#resourceCors}).
 *
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch: the CORS protocol</a>
 */
public final class CorsFilter extends HttpFilter {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (EdgeWriter.resourceCors(request, response)) {
            return; // a preflight, answered
        }
        chain.doFilter(request, response);
    }
}
