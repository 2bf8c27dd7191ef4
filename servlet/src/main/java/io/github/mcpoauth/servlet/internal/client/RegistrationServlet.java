package io.github.mcpoauth.servlet.internal.client;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.github.mcpoauth.core.internal.client.RegistrationHandler;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
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
 * The dynamic client registration endpoint over HTTP (RFC 7591 §3): {@code POST} only; rate-limited by client
 * address (a registration names no client yet); store-bound. Core's {@link RegistrationHandler} parses the
 * metadata and decides.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3</a>
 */
public final class RegistrationServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient JsonEndpoint<HTTPRequest> endpoint;
    private final transient JsonEdge edge;

    /**
     * The registration endpoint servlet.
     *
     * @param handler core's registration endpoint
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter the rate limits by client address
     * @param limits the body deadline and the store permits taken before core is called
     */
    public RegistrationServlet(RegistrationHandler handler, long maxBody, EndpointLimiter limiter, EdgeLimits limits) {
        this.endpoint = JsonEndpoint.unparsed(Objects.requireNonNull(handler, "handler")::handle);
        this.edge = new JsonEdge("register." + Integer.toHexString(System.identityHashCode(this)), Set.of("POST"),
                maxBody, limiter, limits);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        edge.serve(req, resp, endpoint);
    }
}
