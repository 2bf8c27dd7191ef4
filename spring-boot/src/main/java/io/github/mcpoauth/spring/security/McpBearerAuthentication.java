package io.github.mcpoauth.spring.security;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import java.util.List;
import java.util.Objects;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The caller of a protected resource as Spring Security sees it, once mcp-oauth's bearer guard has verified the
 * access token: the principal is the {@link AccessTokenPrincipal} (subject, client id, scopes, audience), and each
 * scope is an authority {@code SCOPE_<scope>} (the convention of Spring Security's own resource server), so
 * {@code @PreAuthorize("hasAuthority('SCOPE_mcp')")} works. The token itself is not kept: no credentials.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2.3">RFC 9068 §2.2.3 (scope claim)</a>
 */
public final class McpBearerAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /** The prefix of the authorities made from scopes. */
    public static final String SCOPE_PREFIX = "SCOPE_";

    private final AccessTokenPrincipal principal;

    /** An authenticated token for {@code principal}. */
    public McpBearerAuthentication(AccessTokenPrincipal principal) {
        super(authorities(Objects.requireNonNull(principal, "principal")));
        this.principal = principal;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(AccessTokenPrincipal principal) {
        return principal.scopes().stream()
                .<GrantedAuthority>map(s -> new SimpleGrantedAuthority(SCOPE_PREFIX + s))
                .toList();
    }

    /** No credentials: the access token never leaves the guard. */
    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public AccessTokenPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.subject();
    }
}
