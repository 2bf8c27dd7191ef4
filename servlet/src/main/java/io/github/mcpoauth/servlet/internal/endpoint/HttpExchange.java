package io.github.mcpoauth.servlet.internal.endpoint;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.JakartaServletUtils;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

/**
 * The bridge between the servlet API and core: reads a request into a Nimbus {@link HTTPRequest} with a body
 * limit, and writes a Nimbus {@link HTTPResponse} back, adding the headers every endpoint response carries.
 * The one place HTTP responses of the JSON endpoints are written.
 *
 * <p>The body is read as raw bytes, never through the container's form parser: so the byte limit holds for
 * chunked bodies too, and parameters in the URL query stay apart from those in the body (RFC 6749 §2.3.1: client
 * credentials belong in the body). Parameters are not parsed here: the core endpoints cap their count and length
 * before Nimbus parses them (its parser is quadratic in repeated names).
 */
final class HttpExchange {

    private HttpExchange() {
    }

    /**
     * The request as Nimbus sees it, or empty after an error response was written (body over {@code maxBody}
     * bytes: 413; unreadable, or too many or too long parameters: 400).
     */
    static Optional<HTTPRequest> read(HttpServletRequest req, HttpServletResponse resp, long maxBody)
            throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBody) {
            refuseTooLarge(req, resp);
            return Optional.empty();
        }
        HTTPRequest request;
        try {
            request = toNimbus(req);
            // A body is read only where one is expected: GET and HEAD requests are answered without it (one sent
            // anyway is discarded, so that the connection survives the answer).
            boolean bodiless = request.getMethod() == HTTPRequest.Method.GET;
            if (bodiless) {
                RequestBodies.discard(req, resp);
            }
            Optional<String> body = bodiless ? Optional.of("") : readBody(req.getInputStream(), maxBody);
            if (body.isEmpty()) {
                refuseTooLarge(req, resp);
                return Optional.empty();
            }
            if (!body.get().isEmpty()) {
                request.setBody(body.get());
            }
        } catch (IOException | ParseException | RuntimeException e) {
            refuse(OAuth2Error.INVALID_REQUEST.setDescription("The request could not be read"), req, resp);
            return Optional.empty();
        }
        return Optional.of(request);
    }

    /**
     * The request with its {@code body} read already (by {@link BodyReader}), or empty after a 400 was written.
     */
    static Optional<HTTPRequest> withBody(HttpServletRequest req, HttpServletResponse resp, String body)
            throws IOException {
        try {
            HTTPRequest request = toNimbus(req);
            if (!body.isEmpty()) {
                request.setBody(body);
            }
            return Optional.of(request);
        } catch (ParseException | RuntimeException e) {
            refuse(OAuth2Error.INVALID_REQUEST.setDescription("The request could not be read"), req, resp);
            return Optional.empty();
        }
    }

    private static HTTPRequest toNimbus(HttpServletRequest req) throws ParseException {
        String verb = req.getMethod().toUpperCase(Locale.ROOT);
        // Nimbus has no HEAD: answer it as GET (the container sends no body for HEAD)
        HTTPRequest.Method method = HTTPRequest.Method.valueOf(verb.equals("HEAD") ? "GET" : verb);
        HTTPRequest request = new HTTPRequest(method, URI.create(req.getRequestURL().toString()));
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

    /**
     * The client id a request names, before it is authenticated: the user part of HTTP Basic, or the
     * {@code client_id} form parameter; for rate limiting only.
     */
    static Optional<String> claimedClientId(HTTPRequest request) {
        String authz = request.getAuthorization();
        if (authz != null && authz.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                return Optional.of(ClientSecretBasic.parse(authz).getClientID().getValue());
            } catch (ParseException | RuntimeException e) {
                return Optional.empty();
            }
        }
        ContentType type = request.getEntityContentType();
        if (request.getBody() == null || type == null || !type.matches(ContentType.APPLICATION_URLENCODED)) {
            return Optional.empty();
        }
        // A linear scan for the first client_id: no full parse of an untrusted body just to count it.
        for (String pair : request.getBody().split("&", 200)) {
            if (pair.startsWith("client_id=")) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Writes {@code response}, with {@code X-Content-Type-Options: nosniff}. */
    static void write(HTTPResponse response, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        JakartaServletUtils.applyHTTPResponse(response, resp);
    }

    /**
     * Answers a JSON OAuth error, after discarding what is left of the request body so that the client's connection
     * survives the answer ({@link RequestBodies}).
     */
    static void refuse(ErrorObject error, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        RequestBodies.discard(req, resp);
        writeError(error, resp);
    }

    /**
     * Answers 429 {@code too_many_requests} with {@code Retry-After} (RFC 6585 §4, RFC 9110 §10.2.3), after
     * discarding what is left of the request body.
     */
    static void refuseTooManyRequests(Duration retryAfter, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        RequestBodies.discard(req, resp);
        String seconds = retryAfterSeconds(retryAfter);
        HTTPResponse response = ErrorResponses.toResponse(new ErrorObject("too_many_requests",
                "Too many requests; retry after " + seconds + " seconds", 429), null);
        response.setHeader("Retry-After", seconds);
        write(response, resp);
    }

    /** A wait as the whole seconds of a {@code Retry-After} header, at least 1. */
    static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, wait.toSeconds()));
    }

    private static void writeError(ErrorObject error, HttpServletResponse resp) throws IOException {
        write(ErrorResponses.toResponse(error, null), resp);
    }

    /** Allows any origin to call a JSON endpoint from a browser, without credentials (for browser MCP clients). */
    static void cors(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version");
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setHeader("Access-Control-Expose-Headers", "Retry-After");
    }

    /** The most bytes of an oversized body read and thrown away so that the client can read the 413. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    /**
     * Answers 413. A client still sending its body when the server answers and closes would see a reset rather than
     * the answer, so up to {@value #DRAIN_LIMIT} bytes of the body are read and thrown away first (bounded work);
     * past that the connection is closed.
     */
    private static void refuseTooLarge(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        RequestBodies.discard(req, resp, DRAIN_LIMIT, RequestBodies.DEFAULT_WAIT);
        writeError(tooLarge(), resp);
    }

    private static ErrorObject tooLarge() {
        return OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(413).setDescription("The request body is too large");
    }
}
