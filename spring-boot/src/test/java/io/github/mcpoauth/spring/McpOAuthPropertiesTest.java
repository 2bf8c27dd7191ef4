package io.github.mcpoauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import io.github.mcpoauth.spring.mcp.McpOAuthMcpSdkAutoConfiguration;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Property binding, clear start failures, and back-off when the application wires things itself. */
class McpOAuthPropertiesTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(McpOAuthAutoConfiguration.class,
                    McpOAuthMcpSdkAutoConfiguration.class));

    @Test
    void whenPropertiesAreSetThenTheServerCarriesThem() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com",
                        "mcp.oauth.resources[0]=https://mcp.example.com/mcp",
                        "mcp.oauth.resources[1]=https://mcp.example.com/tools",
                        "mcp.oauth.scopes=mcp,tools", "mcp.oauth.default-scopes=mcp",
                        "mcp.oauth.access-token-lifetime=15m", "mcp.oauth.refresh-token-lifetime=7d",
                        "mcp.oauth.authorization-code-lifetime=30s",
                        "mcp.oauth.rate-limits.limits.registration.address.requests=5",
                        "mcp.oauth.rate-limits.limits.registration.address.per=1h")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    AuthorizationServerSettings s = ctx.getBean(McpOAuth.class).server().settings();
                    assertThat(s.issuer()).isEqualTo(URI.create("https://mcp.example.com"));
                    assertThat(s.resources()).containsExactly(URI.create("https://mcp.example.com/mcp"),
                            URI.create("https://mcp.example.com/tools"));
                    assertThat(s.scopes()).containsExactlyInAnyOrder("mcp", "tools");
                    assertThat(s.defaultScopes()).containsExactly("mcp");
                    assertThat(s.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(s.refreshTokenLifetime()).isEqualTo(Duration.ofDays(7));
                    assertThat(s.authorizationCodeLifetime()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(ctx).hasSingleBean(McpOAuthServletInitializer.class)
                            .hasSingleBean(McpTransportContextExtractor.class);
                    assertThat(PropertiesMapper.rateLimits(ctx.getBean(McpOAuthProperties.class).rateLimits())
                            .limit(io.github.mcpoauth.servlet.limit.RateLimits.Endpoint.REGISTRATION,
                                    io.github.mcpoauth.servlet.limit.RateLimits.Key.ADDRESS))
                            .get().hasToString(io.github.mcpoauth.servlet.limit.RateLimit.perHour(5).toString());
                });
    }

    @Test
    void whenTokenFormatPropertiesAreSetThenTheServerSignsEveryTokenWithThatAlgorithm() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com", "mcp.oauth.signing-algorithm=EdDSA",
                        "mcp.oauth.same-app-tokens=false")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    AuthorizationServerSettings s = ctx.getBean(McpOAuth.class).server().settings();
                    assertThat(s.signingAlgorithm()).isEqualTo(com.nimbusds.jose.JWSAlgorithm.EdDSA);
                    assertThat(s.sameAppTokens()).isFalse();
                });
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com")
                .run(ctx -> assertThat(ctx.getBean(McpOAuth.class).server().settings().sameAppTokens()).isTrue());
    }

    @Test
    void whenSigningAlgorithmIsSymmetricThenStartFailsNamingTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com", "mcp.oauth.signing-algorithm=HS256")
                .run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.signing-algorithm", "HS256"));
    }

    @Test
    void whenIssuerIsMissingThenStartFailsNamingTheProperty() {
        runner.run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.issuer", "is required"));
    }

    @Test
    void whenIssuerIsNotHttpsThenStartFailsNamingTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=http://mcp.example.com")
                .run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.issuer", "https"));
    }

    @Test
    void whenLifetimeIsOutOfRangeThenStartFailsNamingTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com", "mcp.oauth.access-token-lifetime=2d")
                .run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.access-token-lifetime", "PT24H"));
    }

    @Test
    void whenRateLimitIsOutOfRangeThenStartFailsNamingTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com",
                        "mcp.oauth.rate-limits.limits.token.client.requests=0",
                        "mcp.oauth.rate-limits.limits.token.client.per=1m")
                .run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.rate-limits.limits.token.client",
                        "requests"));
    }

    @Test
    void whenJdbcStorageHasNoDataSourceThenStartFailsNamingTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com", "mcp.oauth.storage.type=jdbc")
                .run(ctx -> assertInvalid(ctx.getStartupFailure(), "mcp.oauth.storage.type", "DataSource"));
    }

    @Test
    void whenAValueDoesNotConvertThenBootsBindErrorNamesTheProperty() {
        runner.withPropertyValues("mcp.oauth.issuer=https://mcp.example.com", "mcp.oauth.storage.type=postgres")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
                    BindException bind = find(ctx.getStartupFailure(), BindException.class);
                    assertThat(bind.getProperty().getName().toString()).isEqualTo("mcp.oauth.storage.type");
                });
    }

    @Test
    void whenTheAppDefinesItsOwnBeansThenTheStarterBacksOff() {
        runner.withUserConfiguration(OwnBeans.class).withPropertyValues("mcp.oauth.issuer=https://mcp.example.com")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(Stores.class)).isSameAs(OwnBeans.STORES);
                    assertThat(ctx.getBean(ResourceOwnerAuthenticator.class)).isSameAs(OwnBeans.LOGIN);
                    // the server wraps the client store (client ID metadata documents); the others are the app's
                    assertThat(ctx.getBean(McpOAuth.class).server().stores().grants())
                            .isSameAs(OwnBeans.STORES.grants());
                });
    }

    @Test
    void whenDisabledThenNothingIsConfigured() {
        runner.withPropertyValues("mcp.oauth.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(McpOAuth.class).doesNotHaveBean(McpOAuthServletInitializer.class)
                    .doesNotHaveBean(McpTransportContextExtractor.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final Stores STORES = InMemoryStores.create(Clock.systemUTC());
        static final ResourceOwnerAuthenticator LOGIN = (request, response, returnTo) -> Optional.of("alice");

        @Bean
        Stores stores() {
            return STORES;
        }

        @Bean
        ResourceOwnerAuthenticator login() {
            return LOGIN;
        }
    }

    private static void assertInvalid(Throwable failure, String property, String reasonPart) {
        assertThat(failure).isNotNull();
        InvalidMcpOAuthPropertyException e = find(failure, InvalidMcpOAuthPropertyException.class);
        assertThat(e.property()).isEqualTo(property);
        assertThat(e.reason()).contains(reasonPart);
        FailureAnalysis analysis = new InvalidMcpOAuthPropertyFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).startsWith("The property '" + property + "' is invalid: ");
        assertThat(analysis.getAction()).contains(property);
        assertThat(Set.of(analysis.getDescription(), analysis.getAction())).noneMatch(s -> s.contains("Exception"));
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t);
    }
}
