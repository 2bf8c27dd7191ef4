package io.github.mcpoauth.servlet.internal.guard;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.servlet.McpResourceServer.LegacyTokens;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * What the servlet behind the guard sees: the verified principal as the user, {@code Bearer} as the auth type,
 * scopes as roles, and no {@code Authorization} header (SECURITY case 33: the client's token is never passed
 * through). An asynchronous request started from it keeps this view.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final Principal principal;
    private final Set<String> scopes;
    private final ServletResponse response;
    /**
     * The header names without {@code Authorization}, worked out on the first call; an immutable list (final
     * fields), so a racing async thread at worst works out the same list again.
     */
    private List<String> headerNames;

    AuthenticatedRequest(HttpServletRequest request, ServletResponse response, AccessTokenPrincipal principal) {
        this(request, response, principal, principal.scopes());
    }

    /** For a caller the app's legacy token validator accepted (its own principal type, its own scopes). */
    AuthenticatedRequest(HttpServletRequest request, ServletResponse response, LegacyTokens.Caller caller) {
        this(request, response, caller, caller.scopes());
    }

    private AuthenticatedRequest(HttpServletRequest request, ServletResponse response, Principal principal,
            Set<String> scopes) {
        super(request);
        this.principal = principal;
        this.scopes = scopes;
        this.response = response;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return "Bearer";
    }

    /** Scopes act as roles: {@code isUserInRole("tools")} when the token grants {@code tools}. */
    @Override
    public boolean isUserInRole(String role) {
        return role != null && scopes.contains(role);
    }

    @Override
    public String getHeader(String name) {
        return isAuthorization(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return isAuthorization(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    /** The names without {@code Authorization}: filtered once per request, not copied again on every call. */
    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = headerNames;
        if (names == null) {
            names = new ArrayList<>();
            for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements(); ) {
                String name = all.nextElement();
                if (!isAuthorization(name)) {
                    names.add(name);
                }
            }
            names = List.copyOf(names);
            headerNames = names;
        }
        return Collections.enumeration(names);
    }

    @Override
    public long getDateHeader(String name) {
        return isAuthorization(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
        return isAuthorization(name) ? -1 : super.getIntHeader(name);
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    private static boolean isAuthorization(String name) {
        return BearerTokenExtractor.AUTHORIZATION.equalsIgnoreCase(name);
    }
}
