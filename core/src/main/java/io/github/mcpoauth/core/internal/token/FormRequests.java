package io.github.mcpoauth.core.internal.token;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.github.mcpoauth.core.error.OAuthException;
import java.util.List;
import java.util.Map;

/**
 * Checks shared by every form-encoded endpoint: POST, the form content type, no duplicated parameter, at most one
 * client authentication method.
 */
final class FormRequests {
    private FormRequests() {
    }

    /** The longest body or query string accepted. */
    static final int MAX_LENGTH = 64 * 1024;
    /** The most parameters accepted in a body or query string. */
    static final int MAX_PARAMETERS = 64;
    /** The longest parameter name or value accepted, after decoding. */
    static final int MAX_PARAMETER_LENGTH = 16 * 1024;

    static boolean isOversized(String formOrQuery) {
        if (formOrQuery == null) {
            return false;
        }
        if (formOrQuery.length() > MAX_LENGTH) {
            return true;
        }
        int separators = 0;
        for (int i = 0; i < formOrQuery.length(); i++) {
            if (formOrQuery.charAt(i) == '&' && ++separators >= MAX_PARAMETERS) {
                return true;
            }
        }
        return false;
    }

    static Map<String, List<String>> requireForm(HTTPRequest request) {
        if (request.getMethod() != HTTPRequest.Method.POST) {
            throw OAuthException.invalidRequest("This endpoint requires POST");
        }
        // Nimbus parses a parameter repeated n times in O(n^2): 80 KB of "a=b&" costs seconds of CPU. No request
        // to these endpoints needs more than a few parameters or kilobytes, so refuse before parsing.
        if (isOversized(request.getBody()) || isOversized(request.getQuery())) {
            throw OAuthException.invalidRequest("The request is too large");
        }
        Map<String, List<String>> form;
        try {
            request.ensureEntityContentType(ContentType.APPLICATION_URLENCODED);
            form = request.getBodyAsFormParameters();
        } catch (ParseException e) {
            throw OAuthException.invalidRequest(
                    "The body must be application/x-www-form-urlencoded");
        }
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getKey().length() > MAX_PARAMETER_LENGTH
                    || e.getValue().stream().anyMatch(v -> v != null && v.length() > MAX_PARAMETER_LENGTH)) {
                throw OAuthException.invalidRequest("A request parameter is too long");
            }
            if (e.getValue().size() > 1 && !"resource".equals(e.getKey())) {
                throw OAuthException.invalidRequest("A parameter was sent more than once");
            }
        }
        if (request.getAuthorization() != null
                && (form.containsKey("client_secret") || form.containsKey("client_assertion"))) {
            // RFC 6749 §2.3: a client must not use more than one authentication method in a request
            throw OAuthException.invalidRequest("More than one client authentication method was used");
        }
        for (String k : request.getQueryStringParameters().keySet()) {
            if (form.containsKey(k)) {
                throw OAuthException.invalidRequest("A parameter was sent more than once");
            }
        }
        requireOneClientAuthentication(request, form);
        return form;
    }

    /**
     * Refuses a request that names one client in the Basic header and another in {@code client_id} (Nimbus would
     * silently prefer the header). Two authentication methods at once are refused above (OAuth 2.1 §2.4).
     */
    private static void requireOneClientAuthentication(HTTPRequest request, Map<String, List<String>> form) {
        String authz = request.getAuthorization();
        if (authz == null || !authz.trim().regionMatches(true, 0, "Basic", 0, 5)) {
            return;
        }
        List<String> ids = form.get("client_id");
        if (ids == null || ids.isEmpty()) {
            return;
        }
        ClientSecretBasic basic;
        try {
            basic = ClientSecretBasic.parse(authz.trim());
        } catch (ParseException | RuntimeException e) {
            throw OAuthException.invalidRequest("Malformed Basic authorization");
        }
        if (!basic.getClientID().getValue().equals(ids.get(0))) {
            throw OAuthException.invalidRequest("client_id does not match the client authentication");
        }
    }
}
