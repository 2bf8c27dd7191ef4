package io.github.mcpoauth.spring;

import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of mcp-oauth in a Spring Boot servlet application: {@link AuthorizationServerSettings} from
 * the {@code mcp.oauth.*} properties, the {@link Stores} (in memory, or the application's {@link DataSource} with
 * migration and a cleanup job), the {@link McpOAuth} server, and its installation into the servlet context.
 *
 * <p>Every bean backs off when the application defines one of the same type: settings, stores, authenticator,
 * consent page, {@code McpOAuth} itself, or the {@link McpOAuthServletInitializer}. An {@link AuditListener} or
 * {@link McpScopeRules} bean, if the application has one, is used. {@code mcp.oauth.enabled=false} turns all of it
 * off.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = McpOAuthProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(McpOAuthProperties.class)
public class McpOAuthAutoConfiguration {

    /** Created by Spring. */
    public McpOAuthAutoConfiguration() {
    }

    /** The settings from {@code mcp.oauth.*}; the application's {@link Clock} bean is used if it has one. */
    @Bean
    @ConditionalOnMissingBean
    public AuthorizationServerSettings mcpOAuthSettings(McpOAuthProperties properties, ObjectProvider<Clock> clock) {
        return PropertiesMapper.settings(properties, clock.getIfUnique(Clock::systemUTC));
    }

    /**
     * In-memory stores when {@code mcp.oauth.storage.type} is {@code memory} (the default) and the application has
     * no {@link Stores} of its own; their capacity refusals and replacements go to the application's
     * {@link AuditListener}, and the server schedules their housekeeping.
     */
    @Bean
    @ConditionalOnMissingBean({Stores.class, InMemoryStores.class})
    @ConditionalOnProperty(prefix = McpOAuthProperties.PREFIX + ".storage", name = "type", havingValue = "memory",
            matchIfMissing = true)
    public InMemoryStores mcpOAuthMemoryStores(AuthorizationServerSettings settings,
            ObjectProvider<AuditListener> audit) {
        return InMemoryStores.newBuilder(settings.clock()).auditListener(audit.getIfUnique(AuditListener::logging))
                .build();
    }

    /** The in-memory stores, or the JDBC ones with {@code mcp.oauth.storage.type=jdbc}, unless the app has its own. */
    @Bean
    @ConditionalOnMissingBean
    public Stores mcpOAuthStores(McpOAuthProperties properties, ObjectProvider<JdbcStores> jdbc,
            ObjectProvider<InMemoryStores> memory) {
        if (properties.storage().type() == McpOAuthProperties.StorageType.JDBC) {
            return jdbc.getObject().stores();
        }
        return memory.getObject().stores();
    }

    /** The built-in consent page. */
    @Bean
    @ConditionalOnMissingBean
    public ConsentPage mcpOAuthConsentPage() {
        return ConsentPage.builtIn();
    }

    /**
     * Without Spring Security: the container's principal ({@link ResourceOwnerAuthenticator#containerPrincipal()});
     * define a {@link ResourceOwnerAuthenticator} bean to use your own login.
     */
    @Bean
    @ConditionalOnMissingBean
    public ResourceOwnerAuthenticator mcpOAuthAuthenticator() {
        return ResourceOwnerAuthenticator.containerPrincipal();
    }

    /**
     * The server. Spring calls its {@code close()} (inferred destroy method) when the context closes, which stops
     * its housekeeping thread.
     */
    @Bean
    @ConditionalOnMissingBean
    public McpOAuth mcpOAuth(McpOAuthProperties properties, AuthorizationServerSettings settings, Stores stores,
            ResourceOwnerAuthenticator authenticator, ConsentPage consentPage, ObjectProvider<AuditListener> audit,
            ObjectProvider<McpScopeRules> scopeRules, ObjectProvider<InMemoryStores> memory) {
        McpOAuth.Builder b = McpOAuth.builder()
                .settings(settings)
                .stores(stores)
                .authenticator(authenticator)
                .consentPage(consentPage);
        audit.ifUnique(b::auditListener);
        scopeRules.ifUnique(b::scopeRules);
        // the starter's in-memory stores: the server runs their housekeeping (and stops it on close)
        memory.ifAvailable(m -> {
            if (m.stores() == stores) {
                b.authorizationServer(server -> server.cleanup(m.cleanup()));
            }
        });
        PropertiesMapper.configure(properties, b);
        return b.build();
    }

    /** Installs the server into the servlet context (before Spring Security's filter). */
    @Bean
    @ConditionalOnMissingBean
    public McpOAuthServletInitializer mcpOAuthServletInitializer(McpOAuth oauth) {
        return new McpOAuthServletInitializer(oauth);
    }

    /** {@code mcp.oauth.storage.type=jdbc}: the application's {@link DataSource}, migrated, with a cleanup job. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = McpOAuthProperties.PREFIX + ".storage", name = "type", havingValue = "jdbc")
    public static class JdbcStorage {

        /** Created by Spring. */
        public JdbcStorage() {
        }

        /** The JDBC stores on the application's one {@link DataSource}; creates or upgrades the tables. */
        @Bean
        @ConditionalOnMissingBean
        public JdbcStores mcpOAuthJdbcStores(McpOAuthProperties properties, AuthorizationServerSettings settings,
                ObjectProvider<DataSource> dataSource) {
            DataSource ds = dataSource.getIfUnique();
            if (ds == null) {
                throw new InvalidMcpOAuthPropertyException(McpOAuthProperties.PREFIX + ".storage.type",
                        "jdbc needs exactly one DataSource bean (spring.datasource.* or your own), found "
                                + dataSource.stream().count(), null);
            }
            JdbcStores stores = PropertiesMapper.jdbcStores(properties.storage(), ds, settings.clock());
            if (properties.storage().migrate()) {
                stores.migrate();
            }
            return stores;
        }

        /** Purges expired rows every {@code mcp.oauth.storage.cleanup.interval}. */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = McpOAuthProperties.PREFIX + ".storage.cleanup", name = "enabled",
                matchIfMissing = true)
        public StoreCleanupScheduler mcpOAuthStoreCleanup(McpOAuthProperties properties, JdbcStores stores) {
            McpOAuthProperties.Cleanup c = properties.storage().cleanup();
            if (c.interval().isZero() || c.interval().isNegative()) {
                throw new InvalidMcpOAuthPropertyException(McpOAuthProperties.PREFIX + ".storage.cleanup.interval",
                        "must be positive, was " + c.interval(), null);
            }
            if (c.initialDelay().isNegative()) {
                throw new InvalidMcpOAuthPropertyException(
                        McpOAuthProperties.PREFIX + ".storage.cleanup.initial-delay",
                        "must not be negative, was " + c.initialDelay(), null);
            }
            return new StoreCleanupScheduler(stores.cleanup(), c.initialDelay(), c.interval());
        }
    }
}
