package io.github.mcpoauth.servlet.internal.token;

import io.github.mcpoauth.core.internal.token.IntrospectionEndpoint;
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
 * The introspection endpoint over HTTP (RFC 7662 §2): {@code POST} only; rate-limited by client address, then by
 * the authenticating client the parsed request names; store-bound. Core's {@link IntrospectionEndpoint} parses
 * and decides.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 §2</a>
 */
public final class IntrospectionServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient IntrospectionEndpoint endpoint;
    private final transient JsonEdge edge;

    /**
     * The introspection endpoint servlet.
     *
     * @param endpoint core's introspection endpoint
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter the rate limits by client address and by the client the request names
     * @param limits the body deadline and the store permits taken before core is called
     */
    public IntrospectionServlet(IntrospectionEndpoint endpoint, long maxBody, EndpointLimiter limiter,
            EdgeLimits limits) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.edge = new JsonEdge("introspect." + Integer.toHexString(System.identityHashCode(this)), Set.of("POST"),
                maxBody, limiter, limits);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        edge.serve(req, resp, endpoint);
    }
}
