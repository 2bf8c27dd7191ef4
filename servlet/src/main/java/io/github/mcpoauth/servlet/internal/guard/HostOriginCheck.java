package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.oauth2.sdk.ErrorObject;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;

/**
 * DNS rebinding defence for the MCP endpoint (MCP security best practices, "local MCP server compromise";
 * transports, "security warning"): before any token is looked at, a request whose {@code Host} is not one of the
 * {@linkplain ProtectedResourceSettings#allowedHosts() allowed hosts}, or whose {@code Origin} is present and not
 * one of the {@linkplain ProtectedResourceSettings#allowedOrigins() allowed origins}, is refused with 403. A
 * loopback host ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) stands for any other loopback host on the
 * same port when one is allowed: only a page on this machine can make a browser send those, whereas a rebound
 * foreign name ({@code evil.example.com} resolving to 127.0.0.1) still carries its own name in {@code Host}.
 */
final class HostOriginCheck {

    private final Set<String> hosts;
    private final Set<String> origins;

    HostOriginCheck(ProtectedResourceSettings settings) {
        this.hosts = settings.allowedHosts();
        this.origins = settings.allowedOrigins();
    }

    /** @throws OAuthException 403 when the host or the origin is not allowed */
    void check(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !hostAllowed(host.strip().toLowerCase(Locale.ROOT))) {
            throw forbidden("The Host of the request is not allowed");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin.strip().toLowerCase(Locale.ROOT))) {
            throw forbidden("The Origin of the request is not allowed");
        }
    }

    private boolean hostAllowed(String host) {
        if (hosts.contains(host) || hosts.contains(withoutDefaultPort(host, ":80"))
                || hosts.contains(withoutDefaultPort(host, ":443"))) {
            return true;
        }
        String port = port(host);
        return isLoopback(hostName(host)) && hosts.stream()
                .anyMatch(h -> isLoopback(hostName(h)) && port(h).equals(port));
    }

    private boolean originAllowed(String origin) {
        if (origins.contains(origin)) {
            return true;
        }
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String authority = origin.substring(scheme + 3);
        String prefix = origin.substring(0, scheme + 3);
        return isLoopback(hostName(authority)) && origins.stream().anyMatch(o -> o.startsWith(prefix)
                && isLoopback(hostName(o.substring(prefix.length()))) && port(o.substring(prefix.length()))
                .equals(port(authority)));
    }

    private static String withoutDefaultPort(String host, String port) {
        return host.endsWith(port) ? host.substring(0, host.length() - port.length()) : host;
    }

    private static String hostName(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static String port(String authority) {
        String name = hostName(authority);
        return authority.length() > name.length() + 1 ? authority.substring(name.length() + 1) : "";
    }

    private static boolean isLoopback(String host) {
        return AuthorizationServerSettings.isLoopback(host);
    }

    private static OAuthException forbidden(String description) {
        return new OAuthException(new ErrorObject("access_denied", description, 403));
    }
}
