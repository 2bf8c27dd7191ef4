package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.error.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client identifier URL as the draft defines it: {@code https}, a host, an optional port, a path without
 * {@code .} or {@code ..} segments, no user info, no fragment. A query is refused too (the draft says SHOULD NOT;
 * refusing keeps the fetched URL and the identifier one and the same string). The value is kept verbatim: the
 * document's {@code client_id} is compared with it by simple string comparison (RFC 3986 §6.2.1).
 *
 * @param value the identifier exactly as the client sent it
 * @param uri the parsed identifier
 * @param host the host, without brackets for an IPv6 literal
 * @param port the port to connect to (443 when the URL has none)
 * @param ipLiteral whether the host is an IP address rather than a name
 */
record ClientIdUrl(String value, URI uri, String host, int port, boolean ipLiteral) {

    /** The longest identifier looked up; the authorization endpoint refuses longer client ids too. */
    static final int MAX_LENGTH = 512;

    private static final String PREFIX = "https://";
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Whether {@code value} claims to be a client identifier URL, so that it is this package's business. */
    static boolean looksLikeOne(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * Parses and checks an identifier that {@linkplain #looksLikeOne looks like one}.
     *
     * @throws OAuthException naming the rule broken
     */
    static ClientIdUrl parse(String value) {
        if (!looksLikeOne(value)) {
            throw Rejection.of("the client identifier URL must begin with https://");
        }
        if (value.length() > MAX_LENGTH) {
            throw Rejection.of("the client identifier URL is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw Rejection.of("the client identifier URL has a space, control or non-ASCII character");
            }
        }
        if (value.indexOf('#') >= 0) {
            throw Rejection.of("the client identifier URL must not have a fragment");
        }
        if (value.indexOf('?') >= 0) {
            throw Rejection.of("the client identifier URL must not have a query");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw Rejection.of("the client identifier URL is not a valid URI");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || uri.getRawUserInfo() != null || authority.indexOf('@') >= 0) {
            throw Rejection.of("the client identifier URL must have a host and no user info");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || authority.endsWith(":")) {
            throw Rejection.of("the client identifier URL must have a host and, if any, a port number");
        }
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw Rejection.of("the client identifier URL has a port out of range");
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/")) {
            throw Rejection.of("the client identifier URL must have a path");
        }
        for (String segment : path.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                throw Rejection.of("the client identifier URL must not have . or .. path segments");
            }
        }
        boolean v6 = host.startsWith("[");
        String bare = v6 ? host.substring(1, host.length() - 1) : host;
        return new ClientIdUrl(value, uri, bare, port, v6 || DOTTED_QUAD.matcher(host).matches());
    }

    /** The request target: the path, verbatim. */
    String requestTarget() {
        return uri.getRawPath();
    }

    /** The {@code Host} header value: the authority, verbatim (it has no user info). */
    String hostHeader() {
        return uri.getRawAuthority();
    }
}
