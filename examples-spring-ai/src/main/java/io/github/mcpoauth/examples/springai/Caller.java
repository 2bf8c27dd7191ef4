package io.github.mcpoauth.examples.springai;

import io.github.mcpoauth.spring.security.McpBearerAuthentication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who calls: the token's subject, behind method security (scope {@code mcp} required). */
public class Caller {

    /** The subject of the verified access token. */
    @PreAuthorize("hasAuthority('SCOPE_mcp')")
    public String subject() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof McpBearerAuthentication bearer)) {
            throw new IllegalStateException("not called with an mcp-oauth access token");
        }
        return bearer.getPrincipal().subject();
    }
}
