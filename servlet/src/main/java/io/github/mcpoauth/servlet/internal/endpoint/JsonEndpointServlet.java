package io.github.mcpoauth.servlet.internal.endpoint;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One JSON endpoint of the authorization server (token, registration, revocation, introspection, metadata, JWKS)
 * as a servlet: parse the request into a Nimbus {@link HTTPRequest}, let core decide, write the
 * {@link HTTPResponse}. Other methods get 405 with {@code Allow}; browser preflights ({@code OPTIONS}) are
 * answered for cross-origin MCP clients. Rate limits ({@link EndpointLimiter}) apply by client address before the
 * body is read and by client id after; the body limit holds for chunked bodies too. The body is read within a
 * deadline, asynchronously where the container allows (408 past it), and a store-bound endpoint takes a
 * {@link io.github.mcpoauth.servlet.internal.limit.StorePermits permit} before it calls core (503 with {@code Retry-After}
 * when none is free in time): see {@link EdgeLimits}.
 */
public final class JsonEndpointServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The default request body limit: 64 KiB. */
    public static final long DEFAULT_MAX_BODY = 64 * 1024;

    private final transient Function<HTTPRequest, HTTPResponse> endpoint;
    private final Set<String> methods;
    private final long maxBody;
    private final transient EndpointLimiter limiter;
    private final transient EdgeLimits edge;
    private final transient BodyReader bodyReader;

    /**
     * A servlet answering {@code methods} (e.g. {@code POST}) with {@code endpoint}, without rate limits.
     *
     * @param endpoint the core endpoint; must not throw
     * @param methods the HTTP methods it accepts
     * @param maxBody the most body bytes read; a larger body gets 413
     */
    public JsonEndpointServlet(Function<HTTPRequest, HTTPResponse> endpoint, Set<String> methods, long maxBody) {
        this(endpoint, methods, maxBody, EndpointLimiter.none());
    }

    /**
     * A servlet answering {@code methods} (e.g. {@code POST}) with {@code endpoint}, within {@code limiter}'s rate
     * limits (a refused request gets 429 with {@code Retry-After}).
     *
     * @param endpoint the core endpoint; must not throw
     * @param methods the HTTP methods it accepts
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter the rate limits
     */
    public JsonEndpointServlet(Function<HTTPRequest, HTTPResponse> endpoint, Set<String> methods, long maxBody,
            EndpointLimiter limiter) {
        this(endpoint, methods, maxBody, limiter, EdgeLimits.defaults());
    }

    /**
     * A servlet answering {@code methods} with {@code endpoint}, within {@code limiter}'s rate limits and
     * {@code edge}'s body deadline and store permits (a request that finds none gets 503 with
     * {@code Retry-After}).
     *
     * @param endpoint the core endpoint; must not throw
     * @param methods the HTTP methods it accepts
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter the rate limits
     * @param edge the body deadline and store permits
     */
    public JsonEndpointServlet(Function<HTTPRequest, HTTPResponse> endpoint, Set<String> methods, long maxBody,
            EndpointLimiter limiter, EdgeLimits edge) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.methods = Set.copyOf(methods);
        if (maxBody < 1) {
            throw new IllegalArgumentException("maxBody must be positive, was " + maxBody);
        }
        this.maxBody = maxBody;
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.edge = Objects.requireNonNull(edge, "edge");
        this.bodyReader = new BodyReader(maxBody, edge.bodyTimeout(), ClockTicker.of(edge.clock()),
                "io.github.mcpoauth.body." + Integer.toHexString(System.identityHashCode(this)));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> handedBack = bodyReader.handedBack(req);
        if (handedBack.isPresent()) {
            answer(req, resp, HttpExchange.withBody(req, resp, handedBack.get()));
            return;
        }
        HttpExchange.cors(resp);
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        if (method.equals("OPTIONS")) {
            RequestBodies.discard(req, resp);
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (!methods.contains(method)) {
            resp.setHeader("Allow", String.join(", ", methods));
            HttpExchange.refuse(OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(405)
                    .setDescription("Method not allowed"), req, resp);
            return;
        }
        Optional<Duration> wait = limiter.admitAddress(req);
        if (wait.isPresent()) {
            HttpExchange.refuseTooManyRequests(wait.get(), req, resp);
            return;
        }
        Optional<HTTPRequest> parsed;
        if (method.equals("GET") || method.equals("HEAD") || req.getContentLengthLong() > maxBody
                || req.getContentLengthLong() == 0 || !chunked(req) && req.getContentLengthLong() < 0) {
            // no body to wait for, or one refused by its declared length
            parsed = HttpExchange.read(req, resp, maxBody);
        } else {
            // the body within a deadline (BodyReader): asynchronously where the container allows
            BodyReader.Outcome outcome = bodyReader.read(req, resp);
            if (!(outcome instanceof BodyReader.Outcome.Read read)) {
                return;
            }
            parsed = HttpExchange.withBody(req, resp, read.body());
        }
        answer(req, resp, parsed);
    }

    private static boolean chunked(HttpServletRequest req) {
        return req.getHeader("Transfer-Encoding") != null;
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, Optional<HTTPRequest> parsed)
            throws IOException {
        if (parsed.isEmpty()) {
            return;
        }
        if (limiter.limitsClients()) {
            Optional<Duration> wait = limiter.admitClient(req,
                    HttpExchange.claimedClientId(parsed.get()).orElse(null));
            if (wait.isPresent()) {
                HttpExchange.refuseTooManyRequests(wait.get(), req, resp);
                return;
            }
        }
        // store-bound endpoints queue for a permit: a slow store must not take every container thread
        if (!edge.storePermits().tryAcquire()) {
            HttpExchange.write(ErrorResponses.toResponse(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(503)
                    .setDescription("The service is temporarily unavailable"), parsed.get()), resp);
            return;
        }
        try {
            HttpExchange.write(endpoint.apply(parsed.get()), resp);
        } finally {
            edge.storePermits().release();
        }
    }
}
