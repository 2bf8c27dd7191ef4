package io.github.mcpoauth.servlet.internal.edge;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.endpoint.ParsedRequest;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline of one JSON endpoint between the {@link EdgeReader} and the {@link EdgeWriter}, one way:
 *
 * <ol>
 *   <li>CORS headers; a preflight ({@code OPTIONS}) answered 204; another method than the endpoint's gets 405
 *       with {@code Allow};</li>
 *   <li>the rate limit by client address ({@link EndpointLimiter}), before the body is read (429);</li>
 *   <li>the body, within the limit (413) and the deadline (408), asynchronously where the container allows;</li>
 *   <li>core parses the request once ({@link JsonEndpoint#parse}); a malformed one gets its OAuth error;</li>
 *   <li>the rate limit by the client the parsed request names (429);</li>
 *   <li>a store permit for a store-bound endpoint (503 with {@code Retry-After} when none is free in time);</li>
 *   <li>core decides ({@link JsonEndpoint#handle}) and the writer writes its response.</li>
 * </ol>
 *
 * <p>A request resumed after an asynchronous body read goes straight to step 4: its earlier steps are done.
 */
public final class JsonEdge {

    private final Set<String> methods;
    private final EndpointLimiter limiter;
    private final StorePermits permits;
    private final EdgeReader reader;

    /**
     * The pipeline of an endpoint answering {@code methods}.
     *
     * @param name the endpoint's name, unique to the servlet instance (e.g. {@code "token@1a2b"})
     * @param methods the HTTP methods it accepts, e.g. {@code POST}
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limiter its rate limits
     * @param limits the body deadline, and the store permits it takes ({@link StorePermits#unlimited()} for an
     *     endpoint that needs no store)
     */
    public JsonEdge(String name, Set<String> methods, long maxBody, EndpointLimiter limiter, EdgeLimits limits) {
        this.methods = Set.copyOf(methods);
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.permits = Objects.requireNonNull(limits, "limits").storePermits();
        this.reader = new EdgeReader(maxBody, limits, name);
    }

    /** Serves one request with {@code endpoint}. */
    public <T> void serve(HttpServletRequest req, HttpServletResponse resp, JsonEndpoint<T> endpoint)
            throws IOException {
        if (!reader.resumes(req) && !admit(req, resp)) {
            return;
        }
        Optional<HTTPRequest> read = reader.read(req, resp);
        if (read.isEmpty()) {
            return; // answered already, or the body is read asynchronously and this servlet is called again
        }
        HTTPRequest http = read.get();
        ParsedRequest<T> parsed;
        try {
            parsed = endpoint.parse(http);
        } catch (RuntimeException | StackOverflowError e) {
            EdgeWriter.write(ErrorResponses.of(e, http), resp);
            return;
        }
        if (limiter.limitsClients()) {
            Optional<Duration> wait = limiter.admitClient(req, parsed.clientId().map(ClientID::getValue).orElse(null));
            if (wait.isPresent()) {
                EdgeWriter.refuseTooManyRequests(wait.get(), null, req, resp);
                return;
            }
        }
        // store-bound endpoints queue for a permit: a slow store must not take every container thread
        if (!permits.tryAcquire()) {
            EdgeWriter.refuseUnavailable(http, resp);
            return;
        }
        try {
            EdgeWriter.write(endpoint.handle(parsed), resp);
        } finally {
            permits.release();
        }
    }

    /** Steps 1 and 2; false when the request is answered. */
    private boolean admit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        EdgeWriter.endpointCors(resp);
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        if (method.equals("OPTIONS")) {
            EdgeReader.discard(req, resp);
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return false;
        }
        if (!methods.contains(method)) {
            resp.setHeader("Allow", String.join(", ", methods));
            EdgeWriter.refuse(OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(405).setDescription("Method not allowed"),
                    req, resp);
            return false;
        }
        Optional<Duration> wait = limiter.admitAddress(req);
        if (wait.isPresent()) {
            EdgeWriter.refuseTooManyRequests(wait.get(), null, req, resp);
            return false;
        }
        return true;
    }
}
