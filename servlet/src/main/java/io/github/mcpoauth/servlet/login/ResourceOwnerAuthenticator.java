package io.github.mcpoauth.servlet.login;

import io.github.mcpoauth.servlet.internal.consent.Html;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * How the host app tells the authorization server who the user is (RFC 6749 §3.1: "the authorization server
 * MUST first verify the identity of the resource owner"). The host keeps its own login; this hook only reads
 * its outcome, or starts it.
 *
 * <p>Return the subject (a stable, non-secret user id) if the user is logged in. Otherwise start the login
 * (typically a redirect to the host's login page carrying {@code returnTo}) and return empty: the response is
 * then committed and the authorization server writes nothing more. After login, the host sends the browser to
 * {@code returnTo}, which repeats the authorization request.
 *
 * <p>Login has two halves: "who is signed in" ({@link #signedIn}, read without side effects) and "send to login"
 * ({@link #authenticate}). The authorization server asks the first, makes its one decision for the browser step,
 * and only when that decision is "login required" calls the second. The built-in hooks implement both; a hook that
 * implements only {@code authenticate} still works (the server then asks it whenever login is required).
 */
@FunctionalInterface
public interface ResourceOwnerAuthenticator {

    /**
     * The logged-in user's subject, or empty after starting a login on {@code response}.
     *
     * @param returnTo the relative URL (path and query, context path included) to come back to after login; send
     *     the browser there as is (do not prefix the context path again); safe to put in a redirect
     */
    Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response, String returnTo)
            throws IOException;

    /**
     * The signed-in user's subject, read without touching the response or starting anything; empty when nobody
     * is signed in or the hook cannot tell without {@link #authenticate} (the default).
     */
    default Optional<String> signedIn(HttpServletRequest request) {
        return Optional.empty();
    }

    /**
     * The container's authenticated principal ({@link HttpServletRequest#getUserPrincipal()}), as set by
     * container security, a servlet filter or a framework. Without one, asks the container to authenticate
     * ({@link HttpServletRequest#authenticate}); if that does not log the user in, answers 401.
     */
    static ResourceOwnerAuthenticator containerPrincipal() {
        return new ResourceOwnerAuthenticator() {
            @Override
            public Optional<String> signedIn(HttpServletRequest request) {
                Principal p = request.getUserPrincipal();
                return p == null ? Optional.empty() : Optional.of(p.getName());
            }

            @Override
            public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response,
                    String returnTo) throws IOException {
                Principal p = request.getUserPrincipal();
                if (p == null) {
                    try {
                        if (request.authenticate(response)) {
                            p = request.getUserPrincipal();
                        }
                    } catch (jakarta.servlet.ServletException | IllegalStateException e) {
                        p = null;
                    }
                }
                if (p == null) {
                    if (!response.isCommitted()) {
                        Html.errorPage(response, HttpServletResponse.SC_UNAUTHORIZED, "Sign-in required",
                                "Sign in to this site, then try again.");
                    }
                    return Optional.empty();
                }
                return Optional.of(p.getName());
            }
        };
    }

    /**
     * A user id the host's login put into the HTTP session under {@code attribute} (a {@link String} or a
     * {@link Principal}); without one, a redirect to {@code loginPage} with {@code ?return=<returnTo>}
     * (or {@code &return=} if the login page has a query already).
     *
     * @param attribute the session attribute holding the user id
     * @param loginPage the login page, a path in this app (e.g. {@code /login}) or an absolute URL
     */
    static ResourceOwnerAuthenticator sessionAttribute(String attribute, String loginPage) {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(loginPage, "loginPage");
        return new ResourceOwnerAuthenticator() {
            @Override
            public Optional<String> signedIn(HttpServletRequest request) {
                HttpSession session = request.getSession(false);
                Object user = session == null ? null : session.getAttribute(attribute);
                String subject = user instanceof Principal p ? p.getName() : user instanceof String s ? s : null;
                return subject == null || subject.isEmpty() ? Optional.empty() : Optional.of(subject);
            }

            @Override
            public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response,
                    String returnTo) throws IOException {
                Optional<String> subject = signedIn(request);
                if (subject.isPresent()) {
                    return subject;
                }
                String target = loginPage.startsWith("/") ? request.getContextPath() + loginPage : loginPage;
                response.sendRedirect(target + (target.contains("?") ? "&" : "?") + "return="
                        + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
                return Optional.empty();
            }
        };
    }
}
