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
 * The authorization server metadata over HTTP (RFC 8414 §3): {@code GET} and {@code HEAD}; served from memory, so
 * neither rate-limited nor store-bound. Core's {@link AuthorizationServerMetadataEndpoint} holds the document.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3</a>
 */
public final class MetadataServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient JsonEndpoint<HTTPRequest> endpoint;
    private final transient JsonEdge edge;

    /**
     * The metadata servlet.
     *
     * @param metadata core's metadata endpoint
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limits the body deadline (its store permits are not taken: no store is needed)
     */
    public MetadataServlet(AuthorizationServerMetadataEndpoint metadata, long maxBody, EdgeLimits limits) {
        this.endpoint = JsonEndpoint.document(Objects.requireNonNull(metadata, "metadata")::metadata);
        this.edge = new JsonEdge("metadata." + Integer.toHexString(System.identityHashCode(this)),
                Set.of("GET", "HEAD"),
                maxBody, EndpointLimiter.none(), limits.withStorePermits(StorePermits.unlimited()));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        edge.serve(req, resp, endpoint);
    }
}
