package io.github.mcpoauth.client.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.github.mcpoauth.client.ClientAuthorizationException;

/** URL checks for values taken from discovery documents and for the MCP server URL the client is built with. */
public final class Urls {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private Urls() {
    }

    /**
     * An absolute http(s) URL without a fragment; plain http only on a loopback host
     * (<a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2</a> requires https).
     */
    static URI absolute(String value, String field) {
        URI u;
        try {
            u = new URI(value);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new ClientAuthorizationException(field + " is not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || u.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http") && isLoopback(u))) {
            throw new ClientAuthorizationException(field + " must be an absolute https URL: " + value);
        }
        return u;
    }

    /**
     * The rule of {@link #absolute} for a URL given in code: an absolute https URL without a fragment, or plain http
     * on a loopback host.
     *
     * @throws IllegalArgumentException naming {@code field} otherwise
     */
    public static URI requireHttps(URI u, String field) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || u.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http") && isLoopback(u))) {
            throw new IllegalArgumentException(field + " must be an absolute https URL (plain http only on a loopback"
                    + " host: localhost, 127.0.0.1, [::1]): " + u);
        }
        return u;
    }

    static boolean isLoopback(URI u) {
        return u.getHost() != null && LOOPBACK.contains(u.getHost().toLowerCase(Locale.ROOT));
    }
}
