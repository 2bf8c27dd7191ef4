package io.github.mcpoauth.core.internal.client;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The redirect URI policy: which URIs a client may register (RFC 9700 §4.1, RFC 8252 §7) and which requested
 * URI matches a registered one (exact string match; for loopback http redirects any port, RFC 8252 §7.3).
 *
 * <p>Allowed at registration: {@code https} URIs; {@code http} only on a loopback host ({@code localhost},
 * {@code 127.0.0.0/8}, {@code [::1]}); private-use schemes for native apps (RFC 8252 §7.1). Refused: relative
 * URIs, fragments, user info, a query carrying an authorization response parameter ({@code code}, {@code state},
 * {@code iss}, {@code error}…), and schemes that run or read content ({@code javascript}, {@code data},
 * {@code vbscript}, {@code file} and the like).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3">RFC 9700 §4.1.3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.3">RFC 8252 §7.3</a>
 */
public final class RedirectUris {

    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about",
            "blob", "filesystem", "ftp", "ws", "wss", "jar", "view-source", "chrome", "resource", "mailto", "tel");
    private static final Set<String> RESPONSE_PARAMETERS = Set.of("code", "state", "iss", "error",
            "error_description", "error_uri");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final int MAX_LENGTH = 2000;

    private RedirectUris() {
    }

    /**
     * Checks a redirect URI offered for registration.
     *
     * @throws OAuthException {@code invalid_redirect_uri} naming what is wrong
     */
    public static URI checkRegistrable(String value) {
        if (value == null || value.isEmpty()) {
            throw OAuthException.invalidRedirectUri("A redirect URI is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw OAuthException.invalidRedirectUri("A redirect URI is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw OAuthException.invalidRedirectUri("A redirect URI is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.getScheme() == null) {
            throw OAuthException.invalidRedirectUri("A redirect URI must be absolute");
        }
        if (uri.getRawFragment() != null || value.contains("#")) {
            throw OAuthException.invalidRedirectUri("A redirect URI must not have a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEME.matcher(scheme).matches() || FORBIDDEN_SCHEMES.contains(scheme)) {
            throw OAuthException.invalidRedirectUri("Redirect URI scheme not allowed: " + safe(scheme));
        }
        if (uri.getRawUserInfo() != null) {
            throw OAuthException.invalidRedirectUri("A redirect URI must not carry user info");
        }
        if (uri.getRawQuery() != null && URLUtils.parseParameters(uri.getRawQuery()).keySet().stream()
                .anyMatch(RESPONSE_PARAMETERS::contains)) {
            // the response would carry two of them (RFC 9207 §2: exactly one iss)
            throw OAuthException.invalidRedirectUri(
                    "A redirect URI must not carry code, state, iss or error parameters in its query");
        }
        if (scheme.equals("https") || scheme.equals("http")) {
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw OAuthException.invalidRedirectUri("A web redirect URI needs a host");
            }
            if (scheme.equals("http") && !AuthorizationServerSettings.isLoopback(uri.getHost())) {
                throw OAuthException.invalidRedirectUri("Plain http redirect URIs are only allowed on a loopback host");
            }
        } else if (uri.isOpaque() && (uri.getSchemeSpecificPart() == null || uri.getSchemeSpecificPart().isEmpty())) {
            throw OAuthException.invalidRedirectUri("A redirect URI has nothing after its scheme");
        }
        return uri;
    }

    /**
     * The registered URI that {@code requested} matches, if any: the same string, or, for a registered loopback
     * http URI, the same scheme, host, path and query on any port.
     */
    public static Optional<URI> match(List<URI> registered, String requested) {
        Objects.requireNonNull(registered, "registered");
        if (requested == null) {
            return Optional.empty();
        }
        for (URI r : registered) {
            if (r.toString().equals(requested)) {
                return Optional.of(r);
            }
        }
        URI req;
        try {
            req = new URI(requested);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!"http".equals(req.getScheme()) || req.getRawFragment() != null || req.getRawUserInfo() != null) {
            return Optional.empty();
        }
        for (URI r : registered) {
            if ("http".equals(r.getScheme()) && AuthorizationServerSettings.isLoopback(r.getHost())
                    && Objects.equals(r.getHost(), req.getHost())
                    && Objects.equals(r.getRawPath(), req.getRawPath())
                    && Objects.equals(r.getRawQuery(), req.getRawQuery())) {
                return Optional.of(req);
            }
        }
        return Optional.empty();
    }

    private static String safe(String s) {
        return s.length() > 32 ? s.substring(0, 32) : s;
    }
}
