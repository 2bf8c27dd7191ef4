package io.github.mcpoauth.spring.security;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.servlet.guard.McpAuthContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Inside mcp-oauth's security filter chain: when the bearer guard (which runs before Spring Security) verified the
 * request's token, puts a {@link McpBearerAuthentication} in the security context for this request only (it is
 * never saved to the session).
 */
final class BearerAuthenticationFilter extends OncePerRequestFilter {

    private final SecurityContextHolderStrategy strategy;

    BearerAuthenticationFilter(SecurityContextHolderStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the guard leaves the verified token's principal in a request attribute (Spring Security's request
        // wrapper hides the guard's getUserPrincipal())
        Optional<AccessTokenPrincipal> principal =
                request.getAttribute(McpAuthContext.PRINCIPAL_KEY) instanceof AccessTokenPrincipal p
                        ? Optional.of(p) : Optional.empty();
        if (principal.isPresent()) {
            SecurityContext context = strategy.createEmptyContext();
            context.setAuthentication(new McpBearerAuthentication(principal.get()));
            strategy.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
