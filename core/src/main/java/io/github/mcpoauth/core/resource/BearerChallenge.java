package io.github.mcpoauth.core.resource;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The one place a {@code WWW-Authenticate: Bearer …} value is built.
 *
 * <ul>
 *   <li>no token: {@code Bearer resource_metadata="…", scope="…"}, no error code (RFC 6750 §3.1, RFC 9728
 *       §5.1, MCP authorization "Protected Resource Metadata Discovery");</li>
 *   <li>refused token: {@code Bearer error="invalid_token", error_description="…", scope="…",
 *       resource_metadata="…"};</li>
 *   <li>missing scope: {@code Bearer error="insufficient_scope", …, scope="<every scope the request needs>"}.</li>
 * </ul>
 *
 * <p>Every value is made safe for a quoted-string (SECURITY case 32): in {@code error},
 * {@code error_description} and {@code scope} the characters RFC 6750 §3 forbids ({@code "} and {@code \}),
 * commas, controls (CR, LF, …) and non-ASCII are dropped, and a scope that is not a valid scope token is left
 * out; in the metadata URL such characters are percent-encoded. A value never ends a parameter early, starts a
 * new one or a new header line.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-5.1">RFC 9728 §5.1</a>
 */
public final class BearerChallenge {

    private static final int MAX_DESCRIPTION = 200;

    private BearerChallenge() {
    }

    /**
     * The challenge for {@code error} on the resource described by {@code settings}: {@code null} (or an error
     * without a code, such as {@link BearerTokenError#MISSING_TOKEN}) means "no token was presented". The
     * {@code scope} parameter is the error's own scope when it is a {@link BearerTokenError} carrying one
     * (insufficient_scope), otherwise the resource's {@link ProtectedResourceSettings#requiredScopes()} when there
     * are any.
     */
    public static String of(ProtectedResourceSettings settings, ErrorObject error) {
        Objects.requireNonNull(settings, "settings");
        Collection<String> scopes = settings.requiredScopes();
        if (error instanceof BearerTokenError bearer && bearer.getScope() != null) {
            scopes = bearer.getScope().toStringList();
        }
        return format(error, scopes, settings.resourceMetadataUrl());
    }

    /**
     * The challenge from its parts, each optional: {@code error} (its code and description), {@code scopes},
     * and the {@code resourceMetadata} URL.
     */
    public static String format(ErrorObject error, Collection<String> scopes, URI resourceMetadata) {
        List<String> params = new ArrayList<>(4);
        if (error != null && error.getCode() != null) {
            String code = safeText(error.getCode());
            if (!code.isEmpty()) {
                params.add("error=\"" + code + "\"");
                if (error.getDescription() != null) {
                    String description = safeText(error.getDescription());
                    if (description.length() > MAX_DESCRIPTION) {
                        description = description.substring(0, MAX_DESCRIPTION);
                    }
                    if (!description.isBlank()) {
                        params.add("error_description=\"" + description + "\"");
                    }
                }
            }
        }
        if (scopes != null) {
            String scope = String.join(" ", scopes.stream().filter(ProtectedResourceSettings::isValidScope).toList());
            if (!scope.isEmpty()) {
                params.add("scope=\"" + scope + "\"");
            }
        }
        if (resourceMetadata != null) {
            params.add("resource_metadata=\"" + safeUrl(resourceMetadata) + "\"");
        }
        return params.isEmpty() ? "Bearer" : "Bearer " + String.join(", ", params);
    }

    /** RFC 6750 §3 {@code error}/{@code error_description} characters, minus the comma. */
    static String safeText(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' && c != ',') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The URL in ASCII, with anything a quoted-string or a naive comma-splitting parser minds percent-encoded. */
    static String safeUrl(URI url) {
        String ascii = url.toASCIIString();
        StringBuilder out = new StringBuilder(ascii.length());
        for (byte b : ascii.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '"' && c != '\\' && c != ',') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
