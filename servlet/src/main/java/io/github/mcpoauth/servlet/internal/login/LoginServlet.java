package io.github.mcpoauth.servlet.internal.login;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.servlet.internal.consent.Html;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The upstream sign-in's browser steps, under one base path: {@code GET <base>?return=…} the chooser page (several
 * providers), {@code GET <base>/start?provider=…&return=…} a new pending sign-in (state, nonce, PKCE verifier in the
 * session) and the redirect to the provider, {@code GET <base>/callback} the provider's answer, which signs the
 * user in (a new session id against fixation) and sends the browser back to the pending MCP authorization request.
 * Every failure is the built-in error page with the consent page's security headers; nothing is half signed in.
 */
public final class LoginServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** How long a started sign-in may take to come back. */
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 8;

    /** What the login servlet needs of its owner: providers, the callback URL, and where to record a sign-in. */
    public interface Host {
        /** The providers in chooser order. */
        Map<String, UpstreamProvider> providers();

        /** The redirect URI registered at every provider. */
        URI callback();

        /** Records who signed in (and hands the upstream refresh token to the app's hook). */
        void signIn(HttpServletRequest request, String provider, UpstreamProvider.Outcome outcome);

        /** The session attribute holding the pending sign-ins. */
        String pendingAttribute();
    }

    private final transient Host host;
    private final transient Clock clock;
    private final transient Secrets secrets = Secrets.create();

    public LoginServlet(Host host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String step = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            switch (step) {
                case "/", "" -> chooser(request, response);
                case "/start" -> start(request, response);
                case "/callback" -> callback(request, response);
                default -> Html.errorPage(response, 404, "Not found", "There is no such page.");
            }
        } catch (OAuthException e) {
            int status = e.error().getHTTPStatusCode();
            Html.errorPage(response, status, "Sign-in failed", e.error().getDescription());
        } catch (RuntimeException e) {
            // never a stack trace to the browser; the class name only in the log (messages may quote input)
            System.getLogger(LoginServlet.class.getName()).log(System.Logger.Level.WARNING,
                    "upstream sign-in failed: {0}", e.getClass().getName());
            if (!response.isCommitted()) {
                response.reset();
                Html.errorPage(response, 500, "Sign-in failed", "Something went wrong. Start again.");
            }
        }
    }

    private void chooser(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String returnTo = returnTo(request.getParameter("return"));
        ChooserPage.write(response, request.getContextPath() + request.getServletPath() + "/start",
                host.providers(), returnTo);
    }

    private void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UpstreamProvider provider = host.providers().get(String.valueOf(request.getParameter("provider")));
        if (provider == null) {
            throw new OAuthException(new com.nimbusds.oauth2.sdk.ErrorObject("invalid_request",
                    "There is no such identity provider.", 400));
        }
        PendingLogin pending = new PendingLogin(provider.settings().id(), secrets.newId(32), secrets.newId(32),
                new CodeVerifier().getValue(), returnTo(request.getParameter("return")), clock.instant());
        URI target = provider.authenticationRequest(pending, host.callback());
        HttpSession session = request.getSession(true);
        synchronized (session) {
            Map<String, PendingLogin> all = pending(session);
            all.values().removeIf(this::expired);
            while (all.size() >= MAX_PENDING) {
                all.remove(all.keySet().iterator().next());
            }
            all.put(pending.state(), pending);
            session.setAttribute(host.pendingAttribute(), all);
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.sendRedirect(target.toString());
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String state = request.getParameter("state");
        HttpSession session = request.getSession(false);
        PendingLogin pending = null;
        if (session != null && state != null) {
            synchronized (session) {
                Map<String, PendingLogin> all = pending(session);
                pending = all.remove(state);   // single use, whatever the outcome
                session.setAttribute(host.pendingAttribute(), all);
            }
        }
        if (pending == null || expired(pending)) {
            System.getLogger(LoginServlet.class.getName()).log(System.Logger.Level.INFO,
                    "upstream sign-in refused: state mismatch (no pending sign-in for it in this session)");
            throw new OAuthException(new com.nimbusds.oauth2.sdk.ErrorObject("invalid_request",
                    "The sign-in is unknown or has expired. Start again.", 400));
        }
        UpstreamProvider provider = host.providers().get(pending.provider());
        String query = request.getQueryString();
        URI full = URI.create(host.callback() + (query == null ? "" : "?" + query));
        UpstreamProvider.Outcome outcome = provider.complete(full, pending, host.callback());
        request.changeSessionId();
        host.signIn(request, pending.provider(), outcome);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.sendRedirect(pending.returnTo());
    }

    private boolean expired(PendingLogin p) {
        return p.startedAt().plus(PENDING_LIFETIME).isBefore(clock.instant());
    }

    @SuppressWarnings("unchecked")
    private Map<String, PendingLogin> pending(HttpSession session) {
        Object value = session.getAttribute(host.pendingAttribute());
        return value instanceof LinkedHashMap<?, ?> map ? (LinkedHashMap<String, PendingLogin>) map
                : new LinkedHashMap<>();
    }

    /** A return URL the browser sent: only a relative path ({@code /…}, not {@code //…}), so never an open redirect. */
    static String returnTo(String value) {
        if (value == null || !value.startsWith("/") || value.startsWith("//") || value.contains("\\")
                || value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new OAuthException(new com.nimbusds.oauth2.sdk.ErrorObject("invalid_request",
                    "The sign-in link is not valid. Start again from the application.", 400));
        }
        return value;
    }
}
