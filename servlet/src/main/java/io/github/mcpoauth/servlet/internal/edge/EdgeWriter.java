package io.github.mcpoauth.servlet.internal.edge;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.resource.BearerChallenge;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.net.URI;
import java.time.Duration;

/**
 * The writing half of the HTTP edge: the one place the servlet module writes a response of its own (the consent
 * and error pages aside, which {@code Html} renders with {@link #noStore} headers). It writes core's Nimbus
 * responses; every JSON error, in the one format of core's {@link ErrorResponses} (the bearer guard's refusals
 * add their {@code WWW-Authenticate} challenge); the CORS headers of endpoints and protected resources; and every
 * {@code Cache-Control} the servlet module sets. A refusal first drains what is left of the request body
 * ({@link EdgeReader#discard}), so that a client on a kept-alive connection reads it and can send again.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch: the CORS protocol</a>
 */
public final class EdgeWriter {

    /** The {@code Cache-Control} of everything but public documents: tokens, errors, redirects, pages. */
    public static final String NO_STORE = "no-store";

    /** 413 {@code invalid_request}: the request body is over the limit. */
    static final ErrorObject TOO_LARGE = OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(413)
            .setDescription("The request body is too large");

    /** The request headers an MCP client sends to a protected resource (2026-07-28: Mcp-Method, Mcp-Name). */
    private static final String RESOURCE_ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Mcp-Session-Id, "
            + "MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name, DPoP";

    private EdgeWriter() {
    }

    /**
     * Writes core's {@code response}, with {@code X-Content-Type-Options: nosniff}: what Nimbus's
     * {@code JakartaServletUtils.applyHTTPResponse} writes (status, every header added, the content type, the body in
     * the response's charset), but as bytes of a known length, with the content type read once (Nimbus parses it
     * again per call) and no writer.
     */
    public static void write(HTTPResponse response, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setStatus(response.getStatusCode());
        String contentType = null;
        for (Map.Entry<String, List<String>> header : response.getHeaderMap().entrySet()) {
            for (String value : header.getValue()) {
                resp.addHeader(header.getKey(), value);
            }
            if (header.getKey().equalsIgnoreCase("Content-Type") && !header.getValue().isEmpty()) {
                contentType = header.getValue().get(0);
            }
        }
        if (contentType != null) {
            resp.setContentType(contentType);
        }
        String body = response.getBody();
        if (body != null) {
            // core's bodies are JSON: UTF-8 (RFC 8259 §8.1) unless the content type names another charset
            boolean declared = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("charset=")
                    && resp.getCharacterEncoding() != null;
            byte[] bytes = body.getBytes(declared ? Charset.forName(resp.getCharacterEncoding())
                    : StandardCharsets.UTF_8);
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    /** Answers the JSON OAuth {@code error}, after draining the request body. */
    public static void refuse(ErrorObject error, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        EdgeReader.discard(req, resp);
        write(ErrorResponses.toResponse(error, null), resp);
    }

    /**
     * Answers 429 {@code too_many_requests} with {@code Retry-After} (RFC 6585 §4, RFC 9110 §10.2.3), after
     * draining the request body.
     *
     * @param description the error description, or {@code null} for one naming the wait
     */
    public static void refuseTooManyRequests(Duration wait, String description, HttpServletRequest req,
            HttpServletResponse resp) throws IOException {
        EdgeReader.discard(req, resp);
        String seconds = retryAfterSeconds(wait);
        HTTPResponse response = ErrorResponses.toResponse(new ErrorObject("too_many_requests",
                description != null ? description : "Too many requests; retry after " + seconds + " seconds", 429),
                null);
        response.setHeader("Retry-After", seconds);
        write(response, resp);
    }

    /**
     * Answers 503 {@code temporarily_unavailable} with {@code Retry-After}: no store permit was free in time.
     *
     * @param request the request as core would have seen it
     */
    public static void refuseUnavailable(HTTPRequest request, HttpServletResponse resp) throws IOException {
        write(ErrorResponses.toResponse(OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(503)
                .setDescription("The service is temporarily unavailable"), request), resp);
    }

    /**
     * Answers the guard's refusal {@code e} (RFC 6750 §3): its status, {@code WWW-Authenticate} for a bearer error
     * (built by {@link BearerChallenge}), and the JSON error when there is an error code (none for a request
     * without a token: RFC 6750 §3.1). Nothing from the request is echoed. Does nothing once the response is
     * committed.
     */
    public static void refuseBearer(ProtectedResourceSettings settings, OAuthException e, HttpServletRequest req,
            HttpServletResponse resp, BiConsumer<HTTPResponse, ErrorObject> challenges) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        EdgeReader.discard(req, resp);
        resp.resetBuffer();
        ErrorObject error = e.error();
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 500;
        HTTPResponse response;
        if (error.getCode() == null) {
            response = new HTTPResponse(status);
            response.setCacheControl(NO_STORE);
            response.setPragma("no-cache");
        } else {
            response = ErrorResponses.toResponse(error.setHTTPStatusCode(status), null);
        }
        if (error instanceof BearerTokenError) {
            response.setHeader("WWW-Authenticate", BearerChallenge.of(settings, error));
        }
        challenges.accept(response, error); // e.g. the DPoP challenge and nonce (RFC 9449 §7.1)
        write(response, resp);
        if (error.getCode() == null) {
            resp.setContentLength(0);
        }
    }

    /** Allows any origin to call a JSON endpoint from a browser, without credentials (browser MCP clients). */
    public static void endpointCors(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version, DPoP");
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setHeader("Access-Control-Expose-Headers", "Retry-After, DPoP-Nonce");
    }

    /**
     * The CORS headers of a protected resource and its metadata, for a request with {@code Origin}: any origin,
     * without credentials, scripts may read {@code WWW-Authenticate}, {@code Mcp-Session-Id} and
     * {@code Retry-After}; a preflight is answered here (204).
     *
     * @return true when the request was a preflight and is answered
     */
    public static boolean resourceCors(HttpServletRequest req, HttpServletResponse resp) {
        if (req.getHeader("Origin") == null) {
            return false;
        }
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate, Mcp-Session-Id, Retry-After, DPoP-Nonce");
        if (!"OPTIONS".equalsIgnoreCase(req.getMethod()) || req.getHeader("Access-Control-Request-Method") == null) {
            return false;
        }
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", allowedHeaders(req.getHeader("Access-Control-Request-Headers")));
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
        return true;
    }

    /** Answers 200 with a public JSON document, cacheable as {@code cacheControl} says and readable cross-origin. */
    public static void publicDocument(byte[] document, String cacheControl, HttpServletResponse resp)
            throws IOException {
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", cacheControl);
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setContentLength(document.length);
        resp.getOutputStream().write(document);
    }

    /** Answers a redirect of the authorization flow to {@code location}: not stored, no referrer. */
    public static void redirect(int status, URI location, HttpServletResponse resp) {
        resp.setStatus(status);
        resp.setHeader("Location", location.toString());
        noStore(resp);
        resp.setHeader("Referrer-Policy", "no-referrer");
    }

    /** Forbids storing the response anywhere: {@code Cache-Control: no-store}, {@code Pragma: no-cache}. */
    public static void noStore(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", NO_STORE);
        resp.setHeader("Pragma", "no-cache");
    }

    /** A wait as the whole seconds of a {@code Retry-After} header, rounded up, at least 1. */
    public static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    /** Answers 413 after draining a bounded part of the oversized body. */
    static void refuseTooLarge(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        EdgeReader.discardOversized(req, resp);
        write(ErrorResponses.toResponse(TOO_LARGE, null), resp);
    }

    /** Answers {@code error} with {@code Connection: close}, the body left unread (past its deadline or limit). */
    static void refuseUnread(ErrorObject error, HttpServletResponse resp) throws IOException {
        if (!resp.isCommitted()) {
            resp.setHeader("Connection", "close");
            write(ErrorResponses.toResponse(error, null), resp);
        }
    }

    /**
     * {@link #RESOURCE_ALLOWED_HEADERS}, plus the {@code Mcp-Param-*} headers (2026-07-28: one per tool parameter the
     * client mirrors into a header) among those the preflight asks for; a list cannot hold a prefix pattern.
     */
    private static String allowedHeaders(String requested) {
        StringBuilder out = new StringBuilder(RESOURCE_ALLOWED_HEADERS);
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
