package io.github.mcpoauth.core.internal.error;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.error.OAuthException;
import java.lang.System.Logger.Level;
import java.util.Locale;
import net.minidev.json.JSONObject;

/**
 * The one place a protocol error becomes an HTTP response for the JSON endpoints (token, registration,
 * revocation, introspection): {@code {"error": …, "error_description": …}} with the error's status,
 * {@code Cache-Control: no-store} and {@code Pragma: no-cache} (RFC 6749 §5.2, RFC 7591 §3.2.2), and
 * {@code WWW-Authenticate: Basic} on a 401 when the client tried HTTP Basic (RFC 6749 §5.2).
 *
 * <p>{@link #of} turns whatever an endpoint threw into such a response: an
 * {@link OAuthException} as itself, anything else as {@code server_error} (503 if the store reported itself
 * unavailable) without its message, so no stack trace or internal detail reaches the client.
 */
public final class ErrorResponses {

    /** The {@code Retry-After} of a 503 (a store that is unavailable): a short pause, then the client tries again. */
    public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    /**
     * The response to a request whose handling failed with {@code failure}: an {@link OAuthException} as itself,
     * anything else as {@code server_error} (503 {@code temporarily_unavailable} if a store is unreachable), logged
     * by class name only. Endpoints call it from the one {@code try/catch} at their edge.
     */
    public static HTTPResponse of(Throwable failure, HTTPRequest request) {
        if (failure instanceof OAuthException e) {
            return toResponse(e.error(), request);
        }
        boolean unavailable = isUnavailable(failure);
        LOG.log(Level.ERROR, "request to {0} failed: {1}", pathOf(request), failure.getClass().getName());
        LOG.log(Level.DEBUG, "failure detail", failure);
        ErrorObject error = unavailable
                ? OAuth2Error.TEMPORARILY_UNAVAILABLE.setHTTPStatusCode(503)
                        .setDescription("The service is temporarily unavailable")
                : OAuth2Error.SERVER_ERROR.setDescription("Unexpected server error");
        return toResponse(error, request);
    }

    private static String pathOf(HTTPRequest request) {
        try {
            return request.getURI() == null ? "?" : request.getURI().getPath();
        } catch (RuntimeException unparsable) {
            return "?";
        }
    }

    /** Maps a Nimbus parse failure to {@code invalid_request}, or to the error it carries. */
    public static OAuthException fromParse(ParseException e) {
        ErrorObject carried = e.getErrorObject();
        if (carried != null && carried.getCode() != null) {
            int status = carried.getHTTPStatusCode() > 0 ? carried.getHTTPStatusCode() : 400;
            return new OAuthException(carried.setHTTPStatusCode(status));
        }
        return OAuthException.invalidRequest("Malformed request");
    }

    /** The JSON error response for {@code error}. */
    public static HTTPResponse toResponse(ErrorObject error, HTTPRequest request) {
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        HTTPResponse response = new HTTPResponse(status);
        response.setEntityContentType(ContentType.APPLICATION_JSON);
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        JSONObject body = new JSONObject();
        body.put("error", error.getCode());
        if (error.getDescription() != null) {
            body.put("error_description", error.getDescription());
        }
        response.setBody(body.toJSONString());
        if (status == 503) {
            response.setHeader("Retry-After", Long.toString(UNAVAILABLE_RETRY_AFTER_SECONDS));
        }
        if (status == 401 && usedBasic(request)) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"oauth\", charset=\"UTF-8\"");
        }
        return response;
    }

    private static boolean usedBasic(HTTPRequest request) {
        String authz = request == null ? null : request.getAuthorization();
        return authz != null && authz.trim().toLowerCase(Locale.ROOT).startsWith("basic");
    }

    /**
     * Whether {@code e} or one of its causes says a store could not be reached or timed out (a store exception that
     * says so, or a transient or connection {@code SQLException}): the one rule for 503 over 500 and over 401.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Unavailable u && u.isUnavailable()) {
                return true;
            }
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Implemented by store exceptions that know whether the store is unreachable (answered with 503
     * {@code temporarily_unavailable}) rather than broken (500 {@code server_error}).
     */
    public interface Unavailable {

        /** Whether the failure means the store could not be reached or timed out. */
        boolean isUnavailable();
    }
}
