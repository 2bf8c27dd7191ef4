package io.github.mcpoauth.spring.security;

import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import io.github.mcpoauth.spring.McpOAuthAutoConfiguration;
import io.github.mcpoauth.spring.McpOAuthProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Spring Security integration, when Spring Security's web support is active:
 * <ul>
 *   <li>a {@link SecurityFilterChain} ordered at {@link #ORDER} (ahead of the application's chains) that matches
 *   exactly mcp-oauth's endpoints and protected resources ({@link McpOAuthRequestMatcher}), lets them through
 *   (each does its own authentication: client authentication, the bearer guard, the consent page's CSRF token),
 *   exempts them from Spring's CSRF check, and never answers them with {@code 401 Basic} or a redirect to
 *   {@code /login};</li>
 *   <li>on protected resources, the caller the bearer guard verified becomes a {@link McpBearerAuthentication}
 *   with {@code SCOPE_} authorities;</li>
 *   <li>the authorization endpoint signs users in through the application's login ({@link SpringSecurityLogin},
 *   page {@code mcp.oauth.security.login-page}).</li>
 * </ul>
 * Ordered after Spring Boot's security auto-configuration, so Boot's default chain (for everything else) still
 * applies when the application defines none. {@code mcp.oauth.security.enabled=false} turns this off.
 */
@AutoConfiguration(before = McpOAuthAutoConfiguration.class, afterName = {
        // Spring Boot 3.5
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
        // Spring Boot 4
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class})
@ConditionalOnBean(HttpSecurity.class)
@ConditionalOnProperty(prefix = McpOAuthProperties.PREFIX, name = {"enabled", "security.enabled"},
        matchIfMissing = true)
@EnableConfigurationProperties(McpOAuthProperties.class)
public class McpOAuthSecurityAutoConfiguration {

    /** The chain's order: ahead of the application's chains (which default to the lowest precedence). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** Created by Spring. */
    public McpOAuthSecurityAutoConfiguration() {
    }

    /** The user signs in through the application's Spring Security login. */
    @Bean
    @ConditionalOnMissingBean
    public ResourceOwnerAuthenticator mcpOAuthAuthenticator(McpOAuthProperties properties,
            ObjectProvider<RequestCache> requestCache) {
        return new SpringSecurityLogin(requestCache.getIfUnique(HttpSessionRequestCache::new),
                properties.security().loginPage());
    }

    /** The chain for mcp-oauth's own paths. */
    @Bean
    @Order(ORDER)
    @ConditionalOnMissingBean(name = "mcpOAuthSecurityFilterChain")
    public SecurityFilterChain mcpOAuthSecurityFilterChain(HttpSecurity http, McpOAuth oauth,
            ObjectProvider<SecurityContextHolderStrategy> strategy) throws Exception {
        SecurityContextHolderStrategy holder = strategy.getIfUnique(SecurityContextHolder::getContextHolderStrategy);
        http.securityMatcher(new McpOAuthRequestMatcher(oauth))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                // token, registration, revocation, introspection take no cookies; the consent form has its own
                // CSRF token and origin check
                .csrf(c -> c.disable())
                // the authorization endpoint saves its request itself, only when it sends the user to log in
                .requestCache(c -> c.disable())
                .addFilterBefore(new BearerAuthenticationFilter(holder), AnonymousAuthenticationFilter.class);
        return http.build();
    }
}
