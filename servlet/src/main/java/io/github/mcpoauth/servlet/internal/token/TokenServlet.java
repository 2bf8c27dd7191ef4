package io.github.mcpoauth.servlet.internal.token;

import io.github.mcpoauth.core.internal.token.TokenEndpoint;
import io.github.mcpoauth.servlet.internal.edge.JsonEdge;
import io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;
import java.util.Set;

/**
 * The token endpoint over HTTP (RFC 6749 §3.2, OAuth 2.1 §3.2): {@code POST} only; rate-limited by client address,
 * then by the client the parsed request names; store-bound (it takes a store permit). Core's {@link TokenEndpoint}
 * parses the form once and decides; the {@link JsonEdge} does the rest.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2</a>
 */
public final class TokenServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient TokenEndpoint endpoint;
    private final transient JsonEdge edge;

    /**
     * The token endpoint servlet.
     *
     * @param endpoint core's token endpoint
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter the rate limits by client address and by the client the request names
     * @param limits the body deadline and the store permits taken before core is called
     */
    public TokenServlet(TokenEndpoint endpoint, long maxBody, EndpointLimiter limiter, EdgeLimits limits) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.edge = new JsonEdge("token." + Integer.toHexString(System.identityHashCode(this)), Set.of("POST"),
                maxBody, limiter, limits);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        edge.serve(req, resp, endpoint);
    }
}
