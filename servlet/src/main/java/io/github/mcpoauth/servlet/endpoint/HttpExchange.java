package io.github.mcpoauth.servlet.endpoint;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.JakartaServletUtils;
import io.github.mcpoauth.core.error.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The bridge between the servlet API and core: reads a request into a Nimbus {@link HTTPRequest} with a body
 * limit, and writes a Nimbus {@link HTTPResponse} back, adding the headers every endpoint response carries.
 * The one place HTTP responses of the JSON endpoints are written.
 */
final class HttpExchange {

    private HttpExchange() {
    }

    /**
     * The request as Nimbus sees it, or empty after an error response was written (body over {@code maxBody}
     * bytes: 413; unreadable: 400).
     */
    static Optional<HTTPRequest> read(HttpServletRequest req, HttpServletResponse resp, long maxBody)
            throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBody) {
            write(ErrorResponses.toResponse(tooLarge(), null), resp);
            return Optional.empty();
        }
        try {
            return Optional.of(JakartaServletUtils.createHTTPRequest(req, maxBody));
        } catch (IOException | RuntimeException e) {
            boolean large = e.getMessage() != null && e.getMessage().toLowerCase().contains("length");
            ErrorObject error = large ? tooLarge()
                    : OAuth2Error.INVALID_REQUEST.setDescription("The request could not be read");
            write(ErrorResponses.toResponse(error, null), resp);
            return Optional.empty();
        }
    }

    /** Writes {@code response}, with {@code X-Content-Type-Options: nosniff}. */
    static void write(HTTPResponse response, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        JakartaServletUtils.applyHTTPResponse(response, resp);
    }

    /** Writes a JSON OAuth error. */
    static void writeError(ErrorObject error, HttpServletResponse resp) throws IOException {
        write(ErrorResponses.toResponse(error, null), resp);
    }

    /** Allows any origin to call a JSON endpoint from a browser, without credentials (for browser MCP clients). */
    static void cors(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version");
        resp.setHeader("Access-Control-Max-Age", "600");
    }

    private static ErrorObject tooLarge() {
        return OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(413).setDescription("The request body is too large");
    }
}
