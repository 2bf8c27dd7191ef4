package io.github.mcpoauth.core.internal.settings;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.mcpoauth.core.internal.keys.KeyMaterial;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The argument checks the settings builders share, so that an issuer, a resource or a lifetime is held to the same
 * rule wherever it is configured. Each check fails fast with an exception naming the field, and returns its
 * argument so that a setter can check and assign in one statement.
 */
public final class BuilderChecks {

    /**
     * RFC 6749 §3.3 scope-token characters minus the comma, at most 128 of them: a scope with a comma breaks the
     * naive {@code WWW-Authenticate} parsers many clients use.
     */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]{1,128}");

    /** An absolute path of at least one segment, in RFC 3986 path characters. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");

    private BuilderChecks() {
    }

    /**
     * Checks that {@code subset}, if set, lies within {@code all}.
     *
     * @throws IllegalStateException naming {@code field} if it does not
     */
    public static void subset(String field, java.util.Set<String> subset, java.util.Set<String> all) {
        if (subset != null && !all.containsAll(subset)) {
            throw new IllegalStateException(field + " must be a subset of scopes " + all + ", was " + subset);
        }
    }

    /**
     * Parses a URI given as a string.
     *
     * @throws NullPointerException naming {@code field} if {@code value} is null
     * @throws IllegalArgumentException naming {@code field} if {@code value} is not a URI
     */
    public static URI uri(String field, String value) {
        Objects.requireNonNull(value, field);
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a URI: " + value, e);
        }
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
     * Checks a URL this library fetches or publishes as a link: absolute with a host; {@code https}, or
     * {@code http} on a {@linkplain AuthorizationServerSettings#isLoopback loopback} host; no user info. Looser
     * than {@link #baseUri}: a query and a trailing {@code /} are allowed.
     *
     * @return {@code uri}
     * @throws NullPointerException naming {@code field} if {@code uri} is null
     * @throws IllegalArgumentException naming {@code field} if {@code uri} breaks a rule
     */
    public static URI httpUrl(String field, URI uri) {
        Objects.requireNonNull(uri, field);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(scheme.equals("https")
                        || (scheme.equals("http") && AuthorizationServerSettings.isLoopback(uri.getHost())))) {
            throw new IllegalArgumentException(field + " must be an https URL with a host and no user info (http "
                    + "only on localhost), was " + uri);
        }
        return uri;
    }

    /** Whether {@code scope} is a scope token this library accepts (see {@link #scopeToken}). */
    public static boolean isScopeToken(String scope) {
        return scope != null && SCOPE_TOKEN.matcher(scope).matches();
    }

    /**
     * Checks a scope: 1 to 128 RFC 6749 §3.3 scope-token characters ({@code %x21 / %x23-5B / %x5D-7E}), without
     * the comma.
     *
     * @return {@code scope}
     * @throws IllegalArgumentException naming {@code field} if {@code scope} is null or not such a token
     */
    public static String scopeToken(String field, String scope) {
        if (!isScopeToken(scope)) {
            throw new IllegalArgumentException(field + ": not a valid scope token (1 to 128 RFC 6749 §3.3 "
                    + "characters, no comma): " + scope);
        }
        return scope;
    }

    /**
     * Checks that {@code value} lies between {@code min} and {@code max}, both included.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming {@code field} and the range if {@code value} is outside it
     */
    public static int intBetween(String field, int value, int min, int max) {
        return (int) longBetween(field, value, min, max);
    }

    /**
     * Checks that {@code value} lies between {@code min} and {@code max}, both included.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming {@code field} and the range if {@code value} is outside it
     */
    public static long longBetween(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /**
     * Checks a condition on the builder's fields together, at {@code build()}.
     *
     * @throws IllegalStateException with {@code message} (which names the fields) if {@code holds} is false
     */
    public static void state(boolean holds, String message) {
        if (!holds) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * Checks that {@code d} lies in [{@code min}, {@code max}].
     *
     * @return {@code d}
     * @throws NullPointerException naming {@code field} if {@code d} is null
     * @throws IllegalArgumentException naming {@code field} if {@code d} is out of range
     */
    public static Duration durationBetween(String field, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, field);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + d);
        }
        return d;
    }

    /**
     * An endpoint URL, not an identifier: {@link #httpUrl} (a query or a trailing slash allowed) and no fragment,
     * which has no meaning in a request.
     */
    public static URI endpointUrl(String field, URI uri) {
        if (httpUrl(field, uri).getRawFragment() != null) {
            throw new IllegalArgumentException(field + " must have no fragment, was " + uri);
        }
        return uri;
    }

    /**
     * An endpoint path: absolute, with no "." or ".." segment (RFC 3986 §5.2.4), not under {@code /.well-known}.
     *
     * @throws IllegalArgumentException naming {@code field} if it is not
     */
    public static String endpointPath(String field, String path) {
        boolean bad = path == null || !PATH.matcher(path).matches();
        if (!bad) {
            String[] segments = path.substring(1).split("/", -1);
            for (String segment : segments) {
                bad |= segment.equals(".") || segment.equals("..");
            }
            bad |= segments[0].equals(".well-known");
        }
        if (bad) {
            String name = field.substring(field.lastIndexOf('.') + 1);
            throw new IllegalArgumentException(field + " must be an absolute path like /oauth2/" + name + ", was "
                    + path);
        }
        return path;
    }

    /**
     * An algorithm access tokens may be signed with: ES256, RS256, PS256 or EdDSA.
     *
     * @throws IllegalArgumentException naming {@code field} if it is not
     */
    public static JWSAlgorithm signingAlgorithm(String field, JWSAlgorithm alg) {
        if (!KeyMaterial.supported(alg)) {
            throw new IllegalArgumentException(field + " must be one of " + KeyMaterial.SIGNING_ALGORITHMS + ", was "
                    + alg);
        }
        return alg;
    }

    /**
     * The configured spelling of {@code candidate} among {@code resources}: the same URI, or, for a resource at the
     * origin root, the same with a trailing {@code /}; see {@link AuthorizationServerSettings#protectedResource}.
     */
    public static Optional<URI> configuredResource(List<URI> resources, URI candidate) {
        if (candidate == null) {
            return Optional.empty();
        }
        int i = resources.indexOf(candidate);
        if (i < 0 && "/".equals(candidate.getRawPath()) && candidate.getRawQuery() == null
                && candidate.getRawFragment() == null && candidate.getScheme() != null
                && candidate.getRawAuthority() != null) {
            i = resources.indexOf(URI.create(candidate.getScheme() + "://" + candidate.getRawAuthority()));
        }
        return i < 0 ? Optional.empty() : Optional.of(resources.get(i));
    }

    /** Whether {@code host} names the local machine: {@code localhost}, 127.0.0.0/8 or {@code [::1]}. */
    public static boolean isLoopback(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1");
    }
}
