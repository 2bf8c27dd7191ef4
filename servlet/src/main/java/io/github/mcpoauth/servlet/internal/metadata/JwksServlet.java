package io.github.mcpoauth.servlet.internal.metadata;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.metadata.AuthorizationServerMetadataEndpoint;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
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
 * The JWK Set of the server's public signing keys over HTTP (RFC 7517 §5, RFC 8414 {@code jwks_uri}): {@code GET}
 * and {@code HEAD}; served from memory once the keys are loaded, so neither rate-limited nor store-bound (a node
 * that never loaded its keys answers 503 with {@code Retry-After}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5</a>
 */
public final class JwksServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient JsonEndpoint<HTTPRequest> endpoint;
    private final transient JsonEdge edge;

    /**
     * The JWK Set servlet.
     *
     * @param metadata core's metadata endpoint, which serves the JWK Set
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limits the body deadline (its store permits are not taken: no store is needed)
     */
    public JwksServlet(AuthorizationServerMetadataEndpoint metadata, long maxBody, EdgeLimits limits) {
        this.endpoint = JsonEndpoint.document(Objects.requireNonNull(metadata, "metadata")::jwks);
        this.edge = new JsonEdge("jwks." + Integer.toHexString(System.identityHashCode(this)), Set.of("GET", "HEAD"),
                maxBody, EndpointLimiter.none(), limits.withStorePermits(StorePermits.unlimited()));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        edge.serve(req, resp, endpoint);
    }
}
