package io.github.mcpoauth.servlet.internal.guard;

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
 * their own filter instead ({@code McpOAuth.Builder.cors(false)}).
 *
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch: the CORS protocol</a>
 */
public final class CorsFilter extends HttpFilter {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The request headers an MCP client sends. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Mcp-Session-Id, "
            + "MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name, DPoP";

    /** The response headers scripts may read: the challenge, the session, back-off and the DPoP nonce. */
    static final String EXPOSED_HEADERS = "WWW-Authenticate, Mcp-Session-Id, Retry-After, DPoP-Nonce";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getHeader("Origin") == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if ("OPTIONS".equalsIgnoreCase(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
            response.setHeader("Access-Control-Allow-Headers", allowedHeaders(
                    request.getHeader("Access-Control-Request-Headers")));
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * {@link #ALLOWED_HEADERS}, plus the {@code Mcp-Param-*} headers (2026-07-28: one per tool parameter the client
     * mirrors into a header) among those the preflight asks for; a list cannot hold a prefix pattern.
     */
    static String allowedHeaders(String requested) {
        StringBuilder out = new StringBuilder(ALLOWED_HEADERS);
        if (requested != null && requested.length() <= 4096) {
            for (String h : requested.split(",")) {
                String name = h.strip();
                if (name.regionMatches(true, 0, "Mcp-Param-", 0, 10) && name.length() > 10 && name.length() <= 128
                        && name.chars().allMatch(c -> c < 127 && (Character.isLetterOrDigit(c) || c == '-'
                        || c == '_' || c == '.'))) {
                    out.append(", ").append(name);
                }
            }
        }
        return out.toString();
    }
}
