package io.github.mcpoauth.core.settings;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The argument checks the settings builders share, so that an issuer, a resource or a lifetime is held to the same
 * rule wherever it is configured. Each check fails fast with an exception naming the field, and returns its
 * argument so that a setter can check and assign in one statement.
 */
public final class BuilderChecks {

    private BuilderChecks() {
    }

    /**
     * Checks an issuer (RFC 8414 §2) or resource (RFC 8707 §2) URI: absolute with a host; {@code https}, or
     * {@code http} on a {@linkplain AuthorizationServerSettings#isLoopback loopback} host; no query, fragment or
     * user info; no trailing {@code /}.
     *
     * @return {@code uri}
     * @throws NullPointerException naming {@code field} if {@code uri} is null
     * @throws IllegalArgumentException naming {@code field} if {@code uri} breaks a rule
     */
    public static URI baseUri(String field, URI uri) {
        Objects.requireNonNull(uri, field);
        if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(field + " must be an absolute URL with a host, was " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + " must have no query, fragment or user info, was " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https")
                && !(scheme.equals("http") && AuthorizationServerSettings.isLoopback(uri.getHost()))) {
            throw new IllegalArgumentException(field + " must be https (http only on localhost), was " + uri);
        }
        if (uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
            throw new IllegalArgumentException(field + " must not end with '/', was " + uri);
        }
        return uri;
    }

    /**
     * Checks that {@code d} lies between {@code min} and {@code max}, both included.
     *
     * @return {@code d}
     * @throws NullPointerException naming {@code field} if {@code d} is null
     * @throws IllegalArgumentException naming {@code field} and the range if {@code d} is outside it
     */
    public static Duration durationBetween(String field, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, field);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + d);
        }
        return d;
    }
}
