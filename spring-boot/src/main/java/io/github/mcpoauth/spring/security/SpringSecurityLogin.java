package io.github.mcpoauth.spring.security;

import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Signs the resource owner in through the application's own Spring Security login (form login, OAuth 2 login,
 * anything that ends in an authenticated session). A signed-in user is the subject; otherwise the authorization
 * request is saved in the {@link RequestCache} (the one Spring Security's login success handler reads) and the
 * browser is sent to the login page, which sends it back to the authorization request after login.
 *
 * <p>Reads the user through the servlet API ({@link HttpServletRequest#getUserPrincipal()}, which Spring Security
 * backs with its security context), so it needs no access to any holder.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.1">RFC 6749 §3.1</a>
 */
public final class SpringSecurityLogin implements ResourceOwnerAuthenticator {

    private final RequestCache requestCache;
    private final String loginPage;

    /**
     * A login through {@code loginPage}.
     *
     * @param requestCache where the authorization request waits during login (the application's, so that its login
     *     success handler finds it)
     * @param loginPage a path in this application (e.g. {@code /login}) or an absolute URL
     */
    public SpringSecurityLogin(RequestCache requestCache, String loginPage) {
        this.requestCache = Objects.requireNonNull(requestCache, "requestCache");
        this.loginPage = Objects.requireNonNull(loginPage, "loginPage");
        if (!loginPage.startsWith("/") && !loginPage.startsWith("https://") && !loginPage.startsWith("http://")) {
            throw new IllegalArgumentException("loginPage must be a path starting with / or an absolute URL, was "
                    + loginPage);
        }
    }

    @Override
    public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response, String returnTo)
            throws IOException {
        Principal p = request.getUserPrincipal();
        if (p instanceof Authentication a && (!a.isAuthenticated() || a instanceof AnonymousAuthenticationToken
                || a instanceof McpBearerAuthentication)) {
            p = null; // a bearer token is a client's credential, never a browser user's login
        }
        if (p != null && p.getName() != null && !p.getName().isEmpty()) {
            requestCache.removeRequest(request, response);
            return Optional.of(p.getName());
        }
        requestCache.saveRequest(request, response);
        response.sendRedirect(loginPage.startsWith("/") ? request.getContextPath() + loginPage : loginPage);
        return Optional.empty();
    }
}
