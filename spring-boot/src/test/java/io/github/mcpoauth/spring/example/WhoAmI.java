package io.github.mcpoauth.spring.example;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.spring.mcp.McpCaller;
import io.github.mcpoauth.spring.security.McpBearerAuthentication;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A tool's logic behind Spring method security: only a caller whose token grants {@code mcp} gets in, and the
 * answer is checked against both the transport context and Spring Security's context.
 */
public class WhoAmI {

    /** The caller's subject. */
    @PreAuthorize("hasAuthority('SCOPE_mcp')")
    public String subject(McpSyncServerExchange exchange) {
        AccessTokenPrincipal fromTransport = McpCaller.principal(exchange).orElseThrow();
        Authentication fromSpring = SecurityContextHolder.getContext().getAuthentication();
        if (!(fromSpring instanceof McpBearerAuthentication bearer)
                || !bearer.getPrincipal().subject().equals(fromTransport.subject())
                || !(McpCaller.userPrincipal(exchange).orElseThrow() instanceof McpBearerAuthentication)) {
            throw new IllegalStateException("Spring Security and the transport context disagree on the caller");
        }
        return fromTransport.subject();
    }
}
