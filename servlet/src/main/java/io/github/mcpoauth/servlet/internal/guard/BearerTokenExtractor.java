package io.github.mcpoauth.servlet.internal.guard;

import io.github.mcpoauth.core.internal.resource.BearerErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Finds the one bearer token of a request (RFC 6750 §2.1): in the {@code Authorization} header only. A token in
 * the query string (RFC 6750 §2.3, which OAuth 2.1 forbids) or two {@code Authorization} headers are
 * {@code invalid_request}; another scheme, an empty token or a header too long to hold an acceptable token are
 * {@code invalid_token}; no header at all is the bare challenge. A form-encoded body is never read for a token.
 */
final class BearerTokenExtractor {

    static final String AUTHORIZATION = "Authorization";
    private static final int SCHEME_ALLOWANCE = 64;

    private BearerTokenExtractor() {
    }

    /** A token and the scheme it came with: {@code Bearer}, or {@code DPoP} (RFC 9449 §7.1) when accepted. */
    record Credentials(String scheme, String token) {
    }

    static String extract(HttpServletRequest request, int maxTokenLength) {
        return credentials(request, maxTokenLength, false).token();
    }

    static Credentials credentials(HttpServletRequest request, int maxTokenLength, boolean acceptDpop) {
        if (queryHasAccessToken(request.getQueryString())) {
            throw BearerErrors.invalidRequest("Access tokens are accepted in the Authorization header only");
        }
        Enumeration<String> values = request.getHeaders(AUTHORIZATION);
        String value = null;
        int count = 0;
        while (values != null && values.hasMoreElements() && count < 2) {
            value = values.nextElement();
            count++;
        }
        if (count == 0 || value == null) {
            throw BearerErrors.missingToken();
        }
        if (count > 1) {
            throw BearerErrors.invalidRequest("More than one Authorization header");
        }
        if (value.length() > maxTokenLength + SCHEME_ALLOWANCE) {
            throw BearerErrors.invalidToken();
        }
        String v = value.strip();
        int space = v.indexOf(' ');
        String scheme = space == "Bearer".length() && v.regionMatches(true, 0, "Bearer", 0, space) ? "Bearer"
                : acceptDpop && space == "DPoP".length() && v.regionMatches(true, 0, "DPoP", 0, space) ? "DPoP"
                : null;
        if (scheme == null) {
            throw BearerErrors.invalidToken();
        }
        String token = v.substring(space + 1).strip();
        if (token.isEmpty() || token.indexOf(' ') >= 0 || token.indexOf(',') >= 0) {
            throw BearerErrors.invalidToken();
        }
        return new Credentials(scheme, token);
    }

    /** Whether any query parameter is named {@code access_token}, however it is percent-encoded. */
    static boolean queryHasAccessToken(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // keep the raw name
            }
            if (name.strip().equalsIgnoreCase("access_token")) {
                return true;
            }
        }
        return false;
    }
}
