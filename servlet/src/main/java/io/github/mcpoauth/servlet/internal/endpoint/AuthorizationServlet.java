package io.github.mcpoauth.servlet.internal.endpoint;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.github.mcpoauth.core.internal.authorization.AuthorizationEndpoint;
import io.github.mcpoauth.core.internal.authorization.AuthorizationOutcome;
import io.github.mcpoauth.core.internal.authorization.ValidatedAuthorization;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.consent.ConsentView;
import io.github.mcpoauth.servlet.internal.consent.Html;
import io.github.mcpoauth.servlet.internal.edge.EdgeReader;
import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The authorization endpoint (RFC 6749 §3.1) and its consent form handler, as one servlet mounted at two paths:
 * {@code GET} on the authorization path validates the request, has the host authenticate the user, and either
 * redirects with a code or shows the consent page; {@code POST} on the consent path takes the user's decision.
 *
 * <p>The consent form is protected by a per-session CSRF token and an origin check (SECURITY case 9); the
 * redirect after it is 303, never 307 (RFC 9700 §4.12). Errors before the client's redirect URI is known good
 * are shown on a local error page, never redirected.
 */
public final class AuthorizationServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The hidden form field carrying the CSRF token. */
    public static final String CSRF_FIELD = "csrf_token";

    private static final System.Logger LOG = System.getLogger(AuthorizationServlet.class.getName());

    /** The longest query string read (browsers and containers cut URLs far shorter anyway). */
    private static final int MAX_QUERY = 16 * 1024;
    /** The most parameter values an authorization request or consent form may carry. */
    private static final int MAX_PARAMETERS = 100;

    private final transient AuthorizationEndpoint endpoint;
    private final transient ResourceOwnerAuthenticator authenticator;
    private final transient ConsentPage consentPage;
    private final transient Secrets secrets;
    private final String authorizationPath;
    private final String consentPath;
    private final String csrfAttribute;
    private final URI issuer;
    private final transient EndpointLimiter limiter;

    /**
     * An authorization servlet.
     *
     * @param endpoint core's authorization endpoint
     * @param authenticator the host's login hook
     * @param consentPage the consent page renderer
     * @param secrets the source of CSRF tokens
     * @param authorizationPath the path the authorization endpoint is mounted at, relative to the context
     * @param consentPath the path the consent form posts to, relative to the context
     * @param sessionKey a key unique to this server instance, naming its session attributes
     * @param issuer the issuer, whose origin a consent post may come from
     * @param limiter the rate limit per client address
     */
    public AuthorizationServlet(AuthorizationEndpoint endpoint, ResourceOwnerAuthenticator authenticator,
            ConsentPage consentPage, Secrets secrets, String authorizationPath, String consentPath, String sessionKey,
            URI issuer, EndpointLimiter limiter) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.consentPage = Objects.requireNonNull(consentPage, "consentPage");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.authorizationPath = Objects.requireNonNull(authorizationPath, "authorizationPath");
        this.consentPath = Objects.requireNonNull(consentPath, "consentPath");
        this.csrfAttribute = "io.github.mcpoauth.csrf." + Objects.requireNonNull(sessionKey, "sessionKey");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            Optional<Duration> wait = limiter.admitAddress(req);
            if (wait.isPresent()) {
                resp.setHeader("Retry-After", EdgeWriter.retryAfterSeconds(wait.get()));
                refuse(req, resp, 429, "Too many requests", "Please wait a moment, then try again.");
                return;
            }
            String method = req.getMethod().toUpperCase(Locale.ROOT);
            boolean consent = consentPath.equals(req.getServletPath()
                    + (req.getPathInfo() == null ? "" : req.getPathInfo()));
            if (consent && method.equals("POST")) {
                decide(req, resp);
            } else if (!consent && method.equals("GET")) {
                authorize(req, resp);
            } else {
                resp.setHeader("Allow", consent ? "POST" : "GET");
                refuse(req, resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method not allowed",
                        "This endpoint does not accept " + method + " requests.");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "authorization request failed: {0}", e.getClass().getName());
            LOG.log(System.Logger.Level.DEBUG, "failure detail", e);
            if (!resp.isCommitted()) {
                resp.reset();
                resp.setHeader("Retry-After", Long.toString(ErrorResponses.UNAVAILABLE_RETRY_AFTER_SECONDS));
                refuse(req, resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Temporarily unavailable",
                        "The authorization server could not complete the request. Please try again.");
            }
        }
    }

    private void authorize(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        EdgeReader.discard(req, resp); // a GET has no body; one sent anyway must not break the connection
        Map<String, List<String>> params;
        try {
            String query = req.getQueryString();
            params = query == null || query.length() > MAX_QUERY ? null : URLUtils.parseParameters(query);
        } catch (RuntimeException e) {
            params = null;
        }
        if (params == null || tooMany(params)) {
            refuse(req, resp, 400, "Invalid request", "The request could not be read.");
            return;
        }
        AuthorizationOutcome outcome = endpoint.authorize(params, authenticator.signedIn(req));
        if (outcome instanceof AuthorizationOutcome.LoginRequired valid) {
            // Nobody signed in, as far as the hook can tell without side effects: send to login. A hook that only
            // implements authenticate() may find the user here after all.
            String returnTo = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
            Optional<String> subject = authenticator.authenticate(req, resp, returnTo);
            if (subject.isEmpty()) {
                return;
            }
            outcome = endpoint.authorize(valid.request(), subject.get());
        }
        answer(outcome, req, resp, HttpServletResponse.SC_FOUND);
    }

    private void decide(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, List<String>> form = readForm(req);
        if (form == null) {
            refuse(req, resp, 400, "Invalid request", "The form could not be read.");
            return;
        }
        // The container has read the whole body to parse the form: refusals from here on need not discard it.
        List<String> csrf = form.remove(CSRF_FIELD);
        List<String> decision = form.remove(ConsentView.DECISION);
        HttpSession session = req.getSession(false);
        Object expected = session == null ? null : session.getAttribute(csrfAttribute);
        if (csrf == null || csrf.size() != 1 || !(expected instanceof String token)
                || !Secrets.constantTimeEquals(token, csrf.get(0)) || !Html.sameOrigin(req, issuer)) {
            Html.errorPage(resp, HttpServletResponse.SC_FORBIDDEN, "Request refused",
                    "The consent form expired or did not come from this site. Start the sign-in again.");
            return;
        }
        if (decision == null || decision.size() != 1
                || !(decision.get(0).equals(ConsentView.APPROVE) || decision.get(0).equals(ConsentView.DENY))) {
            Html.errorPage(resp, 400, "Invalid request", "Approve or deny the request.");
            return;
        }
        boolean approved = decision.get(0).equals(ConsentView.APPROVE);
        AuthorizationOutcome outcome = endpoint.decide(form, authenticator.signedIn(req), approved);
        if (outcome instanceof AuthorizationOutcome.LoginRequired valid) {
            String returnTo = req.getContextPath() + authorizationPath + "?" + URLUtils.serializeParameters(form);
            Optional<String> subject = authenticator.authenticate(req, resp, returnTo);
            if (subject.isEmpty()) {
                return;
            }
            outcome = endpoint.decide(valid.request(), subject.get(), approved);
        }
        answer(outcome, req, resp, HttpServletResponse.SC_SEE_OTHER);
    }

    private void answer(AuthorizationOutcome outcome, HttpServletRequest req, HttpServletResponse resp,
            int redirectStatus) throws IOException {
        if (outcome instanceof AuthorizationOutcome.LocalError e) {
            refuse(req, resp, 400, "Authorization failed",
                    e.error().getDescription() == null ? e.error().getCode() : e.error().getDescription());
        } else if (outcome instanceof AuthorizationOutcome.Redirect r) {
            EdgeWriter.redirect(redirectStatus, r.location(), resp);
        } else if (outcome instanceof AuthorizationOutcome.ConsentRequired c) {
            renderConsent(c.request(), c.subject(), req, resp);
        } else {
            throw new IllegalStateException("unexpected outcome " + outcome.getClass().getSimpleName());
        }
    }

    private void renderConsent(ValidatedAuthorization request, String subject, HttpServletRequest req,
            HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        Object token = session.getAttribute(csrfAttribute);
        if (!(token instanceof String)) {
            token = secrets.newSecret();
            session.setAttribute(csrfAttribute, token);
        }
        Map<String, List<String>> hidden = new LinkedHashMap<>(request.parameters());
        hidden.put(CSRF_FIELD, List.of((String) token));
        URI redirect = request.redirectUri();
        String host = redirect.getHost() != null ? redirect.getHost() : redirect.getScheme() + ":";
        ConsentView view = new ConsentView(request.clientDisplayName(), request.client().clientId().getValue(), host,
                request.scopes().stream().sorted().toList(),
                request.resources().stream().map(URI::toString).toList(), subject,
                req.getContextPath() + consentPath, hidden, Html.locales(req));
        Html.prepare(resp, HttpServletResponse.SC_OK);
        consentPage.render(view, resp);
    }

    /**
     * Answers with an error page, after discarding what is left of the request body so that the client's
     * connection survives the answer ({@link EdgeReader#discard}).
     */
    private static void refuse(HttpServletRequest req, HttpServletResponse resp, int status, String title,
            String text) throws IOException {
        EdgeReader.discard(req, resp);
        Html.errorPage(resp, status, title, text);
    }

    /** The consent form's parameters, or {@code null} if the container cannot parse them or there are too many. */
    private static Map<String, List<String>> readForm(HttpServletRequest req) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        try {
            req.getParameterMap().forEach((k, v) -> form.put(k, List.of(v)));
        } catch (RuntimeException e) {
            return null; // bad encoding, too large, too many keys
        }
        return tooMany(form) ? null : form;
    }

    private static boolean tooMany(Map<String, List<String>> params) {
        return params.values().stream().mapToInt(List::size).sum() > MAX_PARAMETERS;
    }

}
