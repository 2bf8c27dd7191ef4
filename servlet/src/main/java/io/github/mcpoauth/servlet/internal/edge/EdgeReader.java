package io.github.mcpoauth.servlet.internal.edge;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits;
import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The reading half of the HTTP edge: turns a servlet request into a Nimbus {@link HTTPRequest} within a body
 * limit and a deadline, and owns the draining of bodies the server does not read (so that an early answer reaches
 * a client on a kept-alive connection intact: {@link RequestBodies}).
 *
 * <p>The body is read as raw bytes, never through the container's form parser: so the byte limit holds for
 * chunked bodies too, and parameters in the URL query stay apart from those in the body (RFC 6749 §2.3.1: client
 * credentials belong in the body). Parameters are not parsed here: core parses the request once, with Nimbus, and
 * that parse also names the client for rate limits. A body of declared length or chunked is read within the
 * deadline of {@link EdgeLimits}, asynchronously where the container allows ({@link BodyReader}).
 */
public final class EdgeReader {

    /** The most bytes of an oversized body read and thrown away so that the client can read the 413. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    private final long maxBody;
    private final BodyReader bodyReader;

    /**
     * A reader of bodies up to {@code maxBody} bytes within {@code limits}' deadline.
     *
     * @param maxBody the most body bytes read; a larger body gets 413
     * @param limits the body deadline and the clock it is read on
     * @param name a name unique to the servlet using this reader, for the request attribute an asynchronously
     *     read body is handed back in
     */
    public EdgeReader(long maxBody, EdgeLimits limits, String name) {
        if (maxBody < 1) {
            throw new IllegalArgumentException("maxBody must be positive, was " + maxBody);
        }
        Objects.requireNonNull(limits, "limits");
        this.maxBody = maxBody;
        this.bodyReader = new BodyReader(maxBody, limits.bodyTimeout(), ClockTicker.of(limits.clock()),
                "io.github.mcpoauth.body." + Objects.requireNonNull(name, "name"));
    }

    /**
     * Whether {@code req} resumes a request whose body was read asynchronously: its checks (CORS, method, rate
     * limits) were made on the first pass, and {@link #read} gives the request with that body.
     */
    public boolean resumes(HttpServletRequest req) {
        return bodyReader.handsBack(req);
    }

    /**
     * The request as Nimbus sees it; empty when the answer is written already (body over the limit: 413; past the
     * deadline: 408; unreadable: 400) or still to come (the body is being read asynchronously: the servlet is
     * called again, and this method then gives the request).
     */
    public Optional<HTTPRequest> read(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> handedBack = bodyReader.handedBack(req);
        if (handedBack.isPresent()) {
            return withBody(req, resp, handedBack.get());
        }
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        long declared = req.getContentLengthLong();
        if (method.equals("GET") || method.equals("HEAD") || declared > maxBody || declared == 0
                || !chunked(req) && declared < 0) {
            return readNow(req, resp); // no body to wait for, or one refused by its declared length
        }
        BodyReader.Outcome outcome = bodyReader.read(req, resp);
        return outcome instanceof BodyReader.Outcome.Read read ? withBody(req, resp, read.body()) : Optional.empty();
    }

    /**
     * Reads and throws away what is left of the body of a request answered without it, within the default byte
     * and time limits of {@link RequestBodies}; the one place bodies are drained.
     */
    public static void discard(HttpServletRequest req, HttpServletResponse resp) {
        RequestBodies.discard(req, resp);
    }

    /** Whether {@code request} is a CORS preflight (Fetch §3.2.2): {@code OPTIONS} with the CORS request headers. */
    public static boolean isCorsPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }

    /**
     * Drains up to {@value #DRAIN_LIMIT} bytes of an oversized body, so that a client still sending it reads the
     * 413 rather than a reset (bounded work); past that the connection is closed.
     */
    static void discardOversized(HttpServletRequest req, HttpServletResponse resp) {
        RequestBodies.discard(req, resp, DRAIN_LIMIT, RequestBodies.DEFAULT_WAIT);
    }

    private Optional<HTTPRequest> readNow(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > maxBody) {
            EdgeWriter.refuseTooLarge(req, resp);
            return Optional.empty();
        }
        HTTPRequest request;
        try {
            request = toNimbus(req);
            // A body is read only where one is expected: GET and HEAD requests are answered without it (one sent
            // anyway is discarded, so that the connection survives the answer).
            boolean bodiless = request.getMethod() == HTTPRequest.Method.GET;
            if (bodiless) {
                discard(req, resp);
            }
            Optional<String> body = bodiless ? Optional.of("") : readBody(req.getInputStream(), maxBody);
            if (body.isEmpty()) {
                EdgeWriter.refuseTooLarge(req, resp);
                return Optional.empty();
            }
            if (!body.get().isEmpty()) {
                request.setBody(body.get());
            }
        } catch (IOException | ParseException | RuntimeException e) {
            EdgeWriter.refuse(unreadable(), req, resp);
            return Optional.empty();
        }
        return Optional.of(request);
    }

    /** The request with its {@code body} read already (by {@link BodyReader}), or empty after a 400 was written. */
    private static Optional<HTTPRequest> withBody(HttpServletRequest req, HttpServletResponse resp, String body)
            throws IOException {
        try {
            HTTPRequest request = toNimbus(req);
            if (!body.isEmpty()) {
                request.setBody(body);
            }
            return Optional.of(request);
        } catch (ParseException | RuntimeException e) {
            EdgeWriter.refuse(unreadable(), req, resp);
            return Optional.empty();
        }
    }

    private static ErrorObject unreadable() {
        return OAuth2Error.INVALID_REQUEST.setDescription("The request could not be read");
    }

    private static boolean chunked(HttpServletRequest req) {
        return req.getHeader("Transfer-Encoding") != null;
    }

    private static HTTPRequest toNimbus(HttpServletRequest req) throws ParseException {
        String verb = req.getMethod().toUpperCase(Locale.ROOT);
        // Nimbus has no HEAD: answer it as GET (the container sends no body for HEAD)
        HTTPRequest.Method method = HTTPRequest.Method.valueOf(verb.equals("HEAD") ? "GET" : verb);
        HTTPRequest request = new FormParsedOnce(method, URI.create(req.getRequestURL().toString()));
        if (req.getQueryString() != null) {
            request.appendQueryString(req.getQueryString());
            request.getURI(); // throws on a malformed query (e.g. "%zz"), which core would otherwise meet later
        }
        if (req.getContentType() != null) {
            request.setContentType(req.getContentType());
        }
        for (String name : Collections.list(req.getHeaderNames())) {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.setHeader(name, Collections.list(req.getHeaders(name)).toArray(String[]::new));
            }
        }
        request.setClientIPAddress(req.getRemoteAddr());
        return request;
    }

    /** The body as UTF-8 text, or empty if it has more than {@code maxBody} bytes. */
    private static Optional<String> readBody(InputStream in, long maxBody) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > maxBody) {
                return Optional.empty();
            }
            out.write(buffer, 0, n);
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
