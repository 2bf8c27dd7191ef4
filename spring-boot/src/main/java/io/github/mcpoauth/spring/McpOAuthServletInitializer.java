package io.github.mcpoauth.spring;

import io.github.mcpoauth.servlet.McpOAuth;
import jakarta.servlet.ServletContext;
import java.util.Objects;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.Ordered;

/**
 * Mounts {@link McpOAuth} (endpoints, bearer guard, RFC 9728 metadata) into the embedded container's, or the WAR's,
 * servlet context. Its order, {@link #ORDER}, puts the bearer guard in front of Spring Security's filter
 * (order -100), so Spring Security sees a request whose token was already verified and can expose the caller as an
 * {@code Authentication}.
 */
public final class McpOAuthServletInitializer implements ServletContextInitializer, Ordered {

    /** Before Spring Security's filter registration (-100) and after the character-encoding filter. */
    public static final int ORDER = -200;

    private final McpOAuth oauth;

    /** Installs {@code oauth} when the servlet context starts. */
    public McpOAuthServletInitializer(McpOAuth oauth) {
        this.oauth = Objects.requireNonNull(oauth, "oauth");
    }

    @Override
    public void onStartup(ServletContext servletContext) {
        oauth.install(servletContext);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
