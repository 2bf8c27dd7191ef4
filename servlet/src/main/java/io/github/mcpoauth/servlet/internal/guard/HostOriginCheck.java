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
 * one of the {@linkplain ProtectedResourceSettings#allowedOrigins() allowed origins}, is refused with 403. When
 * an allowed host is a loopback one ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}: a server for this
 * machine), every loopback host and origin, on any port, is accepted too (another node on this machine, the MCP
 * Inspector's page): a browser sends a loopback name only for a page or a connection on this machine, whereas a
 * rebound foreign name ({@code evil.example.com} resolving to 127.0.0.1) still carries its own name in
 * {@code Host} and {@code Origin}.
 */
final class HostOriginCheck {

    private final Set<String> hosts;
    private final Set<String> origins;
    private final boolean loopbackServer;

    HostOriginCheck(ProtectedResourceSettings settings) {
        this.hosts = settings.allowedHosts();
        this.origins = settings.allowedOrigins();
        this.loopbackServer = hosts.stream().anyMatch(h -> isLoopback(hostName(h)));
    }

    /** @throws OAuthException 403 when the host or the origin is not allowed */
    void check(HttpServletRequest request) {
        String host = request.getHeader("Host");
        // an allowed host as sent (the usual case) needs no copy stripped and lower-cased
        if (host != null && !hosts.contains(host) && !hostAllowed(host.strip().toLowerCase(Locale.ROOT))) {
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
        return loopbackServer && isLoopback(hostName(host));
    }

    private boolean originAllowed(String origin) {
        if (origins.contains(origin)) {
            return true;
        }
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String prefix = origin.substring(0, scheme);
        return loopbackServer && (prefix.equals("http") || prefix.equals("https"))
                && isLoopback(hostName(origin.substring(scheme + 3)));
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

    private static boolean isLoopback(String host) {
        return AuthorizationServerSettings.isLoopback(host);
    }

    private static OAuthException forbidden(String description) {
        return new OAuthException(new ErrorObject("access_denied", description, 403));
    }
}
