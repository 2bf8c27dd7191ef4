package io.github.mcpoauth.servlet.consent;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import java.net.URI;
import java.util.Objects;

/**
 * Hardens the container's session cookie, which carries the consent form's CSRF token (mcp-oauth sets no cookie
 * of its own). Call during startup, before the context is initialized (e.g. from a
 * {@code ServletContainerInitializer}, next to {@code McpOAuth.install}):
 *
 * <pre>{@code
 * SessionCookies.harden(servletContext, settings.issuer());
 * }</pre>
 *
 * <p>It sets {@code HttpOnly} (no script reads it), {@code SameSite=Lax} (not sent on cross-site POSTs, which
 * backs the consent form's CSRF and origin checks), and, when the issuer is https, {@code Secure} and the
 * {@code __Host-} name prefix with {@code Path=/} in a root context without a cookie domain (the browser then
 * refuses the cookie from any subdomain or over plain http). Skip it if your login needs the session cookie on
 * cross-site POSTs (e.g. a SAML POST binding), or if something relies on the session cookie's name (sticky
 * sessions): then set these attributes yourself as far as you can.
 */
public final class SessionCookies {

    private static final String HOST_PREFIX = "__Host-";

    private SessionCookies() {
    }

    /** Hardens {@code context}'s session cookie, {@code Secure} and {@code __Host-} when {@code issuer} is https. */
    public static void harden(ServletContext context, URI issuer) {
        Objects.requireNonNull(issuer, "issuer");
        harden(context, "https".equalsIgnoreCase(issuer.getScheme()));
    }

    /**
     * Hardens {@code context}'s session cookie: {@code HttpOnly}, {@code SameSite=Lax}, and if {@code secure},
     * {@code Secure} and (in a root context) the {@code __Host-} prefix.
     *
     * @throws IllegalStateException if the context is initialized already
     */
    public static void harden(ServletContext context, boolean secure) {
        SessionCookieConfig cookie = Objects.requireNonNull(context, "context").getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setAttribute("SameSite", "Lax");
        if (secure) {
            cookie.setSecure(true);
            String name = cookie.getName() == null ? "JSESSIONID" : cookie.getName();
            if (context.getContextPath().isEmpty() && cookie.getDomain() == null && !name.startsWith(HOST_PREFIX)) {
                cookie.setName(HOST_PREFIX + name);
                cookie.setPath("/");
            }
        }
    }
}
