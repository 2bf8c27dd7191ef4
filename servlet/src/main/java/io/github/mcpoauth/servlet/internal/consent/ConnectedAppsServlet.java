package io.github.mcpoauth.servlet.internal.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.consent.ConsentPage.ConnectedApp;
import io.github.mcpoauth.servlet.consent.ConsentPage.ConnectedAppsView;
import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The connected-apps page and its JSON API, for the user signed in through the host's
 * {@link ResourceOwnerAuthenticator#signedIn}:
 * <ul>
 *   <li>{@code GET <apps>}: the page (or the host's login, then back here); {@code POST <apps>} with
 *       {@code grant_id} and the CSRF token revokes one grant and answers 303 back to the page;</li>
 *   <li>{@code GET <apps>/api}: {@code {"apps":[...]}}; {@code DELETE <apps>/api/<grant id>}: revokes it, 204
 *       (404 if the user has no such active grant). Without a signed-in user: 401.</li>
 * </ul>
 * State-changing requests must come from this site: a form post carries the session's CSRF token, and neither
 * a post nor a {@code DELETE} may carry a foreign {@code Origin} or {@code Sec-Fetch-Site: cross-site} (a
 * {@code DELETE} cannot be sent cross-origin without a CORS preflight, which this server never grants). Pages
 * carry the same security headers as the consent page ({@link Html#prepare}).
 */
public final class ConnectedAppsServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final System.Logger LOG = System.getLogger(ConnectedAppsServlet.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hidden field carrying the CSRF token, as on the consent form. */
    private static final String CSRF_FIELD = "csrf_token";

    private final transient ConnectedApps apps;
    private final transient ResourceOwnerAuthenticator authenticator;
    private final transient ConsentPage page;
    private final transient Secrets secrets;
    private final transient EndpointLimiter limiter;
    private final String pagePath;
    private final String csrfAttribute;
    private final URI issuer;

    /**
     * The connected-apps servlet.
     *
     * @param apps the decisions
     * @param authenticator the host's login hook
     * @param page the page renderer
     * @param secrets the source of CSRF tokens
     * @param pagePath the page's path relative to the context (the API is under {@code pagePath + "/api"})
     * @param sessionKey the server instance's key, naming its session attributes (the consent form's CSRF token)
     * @param issuer the issuer, whose origin a state-changing request may come from
     * @param limiter the rate limit per client address
     */
    public ConnectedAppsServlet(ConnectedApps apps, ResourceOwnerAuthenticator authenticator, ConsentPage page,
            Secrets secrets, String pagePath, String sessionKey, URI issuer, EndpointLimiter limiter) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.page = Objects.requireNonNull(page, "page");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.pagePath = Objects.requireNonNull(pagePath, "pagePath");
        this.csrfAttribute = "io.github.mcpoauth.csrf." + Objects.requireNonNull(sessionKey, "sessionKey");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            Optional<Duration> wait = limiter.admitAddress(req);
            if (wait.isPresent()) {
                RequestBodies.discard(req, resp);
                resp.setHeader("Retry-After", EdgeWriter.retryAfterSeconds(wait.get()));
                Html.errorPage(resp, 429, "Too many requests", "Please wait a moment, then try again.");
                return;
            }
            String method = req.getMethod().toUpperCase(Locale.ROOT);
            String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
            if (path.equals(pagePath)) {
                switch (method) {
                    case "GET", "HEAD" -> showPage(req, resp, "1".equals(req.getParameter("revoked")));
                    case "POST" -> revokeFromForm(req, resp);
                    default -> notAllowed(req, resp, "GET, POST");
                }
            } else if (path.equals(pagePath + "/api") && (method.equals("GET") || method.equals("HEAD"))) {
                listJson(req, resp);
            } else if (path.startsWith(pagePath + "/api/") && method.equals("DELETE")) {
                revokeFromApi(req, resp, path.substring(pagePath.length() + 5));
            } else if (path.startsWith(pagePath + "/api")) {
                notAllowed(req, resp, path.equals(pagePath + "/api") ? "GET" : "DELETE");
            } else {
                RequestBodies.discard(req, resp);
                Html.errorPage(resp, 404, "Not found", "There is nothing here.");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "connected-apps request failed: {0}", e.getClass().getName());
            LOG.log(System.Logger.Level.DEBUG, "failure detail", e);
            if (!resp.isCommitted()) {
                resp.reset();
                resp.setHeader("Retry-After", Long.toString(ErrorResponses.UNAVAILABLE_RETRY_AFTER_SECONDS));
                Html.errorPage(resp, 503, "Temporarily unavailable", "Please try again in a moment.");
            }
        }
    }

    private void showPage(HttpServletRequest req, HttpServletResponse resp, boolean revoked) throws IOException {
        Optional<String> subject = signedInOrLogin(req, resp);
        if (subject.isEmpty()) {
            return;
        }
        ConnectedAppsView view = new ConnectedAppsView(subject.get(), apps.list(subject.get()),
                req.getContextPath() + pagePath, Map.of(CSRF_FIELD, csrfToken(req)),
                Html.locales(req), revoked);
        Html.prepare(resp, HttpServletResponse.SC_OK);
        page.renderConnectedApps(view, resp);
    }

    private void revokeFromForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String csrf;
        String grantId;
        try {
            csrf = req.getParameter(CSRF_FIELD);
            grantId = req.getParameter(ConsentPage.GRANT_ID);
        } catch (RuntimeException e) {
            csrf = null;
            grantId = null;
        }
        HttpSession session = req.getSession(false);
        Object expected = session == null ? null : session.getAttribute(csrfAttribute);
        if (csrf == null || !(expected instanceof String token) || !Secrets.constantTimeEquals(token, csrf)
                || !Html.sameOrigin(req, issuer)) {
            RequestBodies.discard(req, resp);
            Html.errorPage(resp, 403, "Request refused",
                    "The form expired or did not come from this site. Open Connected apps again.");
            return;
        }
        Optional<String> subject = authenticator.signedIn(req);
        if (subject.isEmpty()) {
            Html.errorPage(resp, 401, "Signed out", "Sign in again, then open Connected apps.");
            return;
        }
        if (grantId == null || !apps.revoke(subject.get(), grantId)) {
            Html.errorPage(resp, 404, "Not found", "That app is not connected to your account any more.");
            return;
        }
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", req.getContextPath() + pagePath + "?revoked=1");
        resp.setHeader("Cache-Control", "no-store");
    }

    private void listJson(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        RequestBodies.discard(req, resp);
        Optional<String> subject = authenticator.signedIn(req);
        if (subject.isEmpty()) {
            json(resp, 401, Map.of("error", "login_required"));
            return;
        }
        List<Map<String, Object>> list = apps.list(subject.get()).stream().map(ConnectedAppsServlet::toJson).toList();
        json(resp, 200, Map.of("apps", list));
    }

    private void revokeFromApi(HttpServletRequest req, HttpServletResponse resp, String grantId) throws IOException {
        RequestBodies.discard(req, resp);
        if (!Html.sameOrigin(req, issuer)) {
            json(resp, 403, Map.of("error", "forbidden"));
            return;
        }
        Optional<String> subject = authenticator.signedIn(req);
        if (subject.isEmpty()) {
            json(resp, 401, Map.of("error", "login_required"));
            return;
        }
        if (grantId.isEmpty() || grantId.length() > 200 || !apps.revoke(subject.get(), grantId)) {
            json(resp, 404, Map.of("error", "not_found"));
            return;
        }
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
        resp.setHeader("Cache-Control", "no-store");
    }

    private Optional<String> signedInOrLogin(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> subject = authenticator.signedIn(req);
        if (subject.isPresent()) {
            return subject;
        }
        return authenticator.authenticate(req, resp, req.getContextPath() + pagePath);
    }

    private String csrfToken(HttpServletRequest req) {
        HttpSession session = req.getSession(true);
        Object token = session.getAttribute(csrfAttribute);
        if (!(token instanceof String)) {
            token = secrets.newSecret();
            session.setAttribute(csrfAttribute, token);
        }
        return (String) token;
    }

    private static Map<String, Object> toJson(ConnectedApp a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grant_id", a.grantId());
        m.put("client_id", a.clientId());
        m.put("client_name", a.clientName());
        a.verifiedHost().ifPresent(h -> m.put("verified_host", h));
        a.logoHost().ifPresent(h -> m.put("logo_host", h));
        m.put("scopes", a.scopes());
        m.put("resources", a.resources());
        m.put("first_used", a.firstUsed().toString());
        m.put("last_used", a.lastUsed().toString());
        return m;
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static void notAllowed(HttpServletRequest req, HttpServletResponse resp, String allow) throws IOException {
        RequestBodies.discard(req, resp);
        resp.setHeader("Allow", allow);
        Html.errorPage(resp, 405, "Method not allowed", "This address does not accept that request.");
    }

}
