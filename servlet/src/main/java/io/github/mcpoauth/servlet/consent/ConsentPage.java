package io.github.mcpoauth.servlet.consent;

import io.github.mcpoauth.servlet.internal.consent.BuiltInPages;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders the pages a person sees on the authorization server: the consent page and the connected-apps page. The
 * default, {@link #builtIn()}, is server-rendered HTML with no script, styled for light and dark mode, in English
 * and French (by {@code Accept-Language}); a host replaces the consent page by implementing {@link #render}, and
 * the connected-apps page by overriding {@link #renderConnectedApps}. Whatever renders a page, the authorization
 * server has already set the headers that refuse framing, scripts, foreign images and referrers
 * ({@code Content-Security-Policy}, {@code X-Frame-Options: DENY}, {@code Referrer-Policy: no-referrer},
 * {@code Cache-Control: no-store}).
 *
 * <p>Client logos ({@code logo_uri}, RFC 7591 §2) are on hosts the client chose: the built-in pages never load
 * them (the CSP allows images from this server and {@code data:} only) and show the logo's host instead.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-10.2">RFC 6749 §10.2 (client impersonation)</a>
 */
@FunctionalInterface
public interface ConsentPage {

    /** The form field naming the grant to revoke on the connected-apps page. */
    String GRANT_ID = "grant_id";

    /** Writes the consent page for {@code view} (status 200 is set already). */
    void render(ConsentView view, HttpServletResponse response) throws IOException;

    /**
     * Writes the connected-apps page for {@code view} (status 200 is set already). Each app's revoke form must
     * post {@link #GRANT_ID} and every entry of {@link ConnectedAppsView#hiddenFields()} to
     * {@link ConnectedAppsView#formAction()}. The default is the built-in page.
     */
    default void renderConnectedApps(ConnectedAppsView view, HttpServletResponse response) throws IOException {
        BuiltInPages.DEFAULT.renderConnectedApps(view, response);
    }

    /** The built-in pages, unbranded, with the built-in scope descriptions. */
    static ConsentPage builtIn() {
        return BuiltInPages.DEFAULT;
    }

    /**
     * The built-in pages with the server's name and logo, and descriptions of its scopes.
     *
     * @param serverName shown above each page, e.g. "Acme MCP"; empty for none
     * @param logo a path on this server starting with {@code /} or a {@code data:image/...} URI (the pages' CSP
     *     allows no other image source); {@code null} for none
     * @param scopeDescriptions scope to its human description (the raw scope is shown next to it); scopes not in
     *     it get the built-in description ({@code mcp}, {@code offline_access}) or a generic one
     * @throws IllegalArgumentException if {@code logo} is neither
     */
    static ConsentPage builtIn(String serverName, String logo, Map<String, String> scopeDescriptions) {
        return new BuiltInPages(new BuiltInPages.Options(serverName, logo, scopeDescriptions));
    }

    /**
     * What the connected-apps page shows.
     *
     * @param subject the signed-in user
     * @param apps the user's active grants, newest first
     * @param formAction where each revoke form posts to
     * @param hiddenFields the fields each revoke form must send back, CSRF token included
     * @param locales the languages the browser prefers, most preferred first
     * @param revokedJustNow whether the page follows a revocation (to confirm it)
     */
    record ConnectedAppsView(String subject, List<ConnectedApp> apps, String formAction,
            Map<String, String> hiddenFields, List<Locale> locales, boolean revokedJustNow) {

        /** Checks the invariants and copies the collections. */
        public ConnectedAppsView {
            Objects.requireNonNull(subject, "subject");
            apps = List.copyOf(apps);
            Objects.requireNonNull(formAction, "formAction");
            hiddenFields = Map.copyOf(hiddenFields);
            locales = List.copyOf(locales);
        }

        /** Names the hidden fields without their values: one of them is the CSRF token. */
        @Override
        public String toString() {
            return "ConnectedAppsView[subject=" + subject + ", apps=" + apps + ", hiddenFields="
                    + new java.util.TreeSet<>(hiddenFields.keySet()) + "]";
        }
    }

    /**
     * One app the user connected: one active grant.
     *
     * @param grantId the grant, what a revoke form posts as {@link #GRANT_ID}
     * @param clientId the client id
     * @param clientName the client's name (its {@code client_name}, or its id); untrusted text, escape it
     * @param verifiedHost the https host of the client's metadata document, empty for a self-registered client
     * @param logoHost the host of the client's {@code logo_uri}, if it has one (never load it without consent)
     * @param scopes the granted scopes
     * @param resources the resources the grant's tokens are for
     * @param firstUsed when the user connected it
     * @param lastUsed when a token was last issued to it
     */
    record ConnectedApp(String grantId, String clientId, String clientName, Optional<String> verifiedHost,
            Optional<String> logoHost, List<String> scopes, List<String> resources, Instant firstUsed,
            Instant lastUsed) {

        /** Checks the invariants and copies the collections. */
        public ConnectedApp {
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientName, "clientName");
            Objects.requireNonNull(verifiedHost, "verifiedHost");
            Objects.requireNonNull(logoHost, "logoHost");
            scopes = List.copyOf(scopes);
            resources = List.copyOf(resources);
            Objects.requireNonNull(firstUsed, "firstUsed");
            Objects.requireNonNull(lastUsed, "lastUsed");
        }
    }

    /**
     * Hardens the container's session cookie, which carries the consent form's CSRF token (mcp-oauth sets no cookie
     * of its own). Call during startup, before the context is initialized (e.g. from a
     * {@code ServletContainerInitializer}, next to {@code McpOAuth.install}):
     *
     * <pre>{@code
     * ConsentPage.SessionCookies.harden(servletContext, settings.issuer());
     * }</pre>
     *
     * <p>It sets {@code HttpOnly} (no script reads it), {@code SameSite=Lax} (not sent on cross-site POSTs, which
     * backs the consent form's CSRF and origin checks), and, when the issuer is https, {@code Secure} and the
     * {@code __Host-} name prefix with {@code Path=/} in a root context without a cookie domain (the browser then
     * refuses the cookie from any subdomain or over plain http). Skip it if your login needs the session cookie on
     * cross-site POSTs (e.g. a SAML POST binding), or if something relies on the session cookie's name (sticky
     * sessions): then set these attributes yourself as far as you can.
     */
    final class SessionCookies {

        private static final String HOST_PREFIX = "__Host-";

        private SessionCookies() {
        }

        /**
         * Hardens {@code context}'s session cookie, {@code Secure} and {@code __Host-} when {@code issuer} is https.
         */
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
}
