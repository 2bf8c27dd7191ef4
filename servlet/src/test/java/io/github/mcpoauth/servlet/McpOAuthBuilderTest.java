package io.github.mcpoauth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import org.junit.jupiter.api.Test;

/** {@link McpOAuth.Builder} fails fast, naming what is missing or wrong. */
class McpOAuthBuilderTest {

    private static AuthorizationServerSettings settings() {
        return AuthorizationServerSettings.builder().issuer("https://as.example").resource("https://as.example/mcp")
                .build();
    }

    private static ResourceOwnerAuthenticator authenticator() {
        return ResourceOwnerAuthenticator.sessionAttribute("user", "/login");
    }

    @Test
    void whenSettingsMissingThenBuildNamesThem() {
        assertThatThrownBy(() -> McpOAuth.builder().authenticator(authenticator()).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("settings is required");
    }

    @Test
    void whenAuthenticatorMissingThenBuildNamesIt() {
        assertThatThrownBy(() -> McpOAuth.builder().settings(settings()).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("authenticator is required");
    }

    @Test
    void whenAServerOptionIsNullThenItIsNamed() {
        McpOAuth.Builder b = McpOAuth.builder();
        assertThatThrownBy(() -> b.settings(null)).hasMessage("settings");
        assertThatThrownBy(() -> b.stores(null)).hasMessage("stores");
        assertThatThrownBy(() -> b.auditListener(null)).hasMessage("auditListener");
    }

    @Test
    void whenSettingsAndAuthenticatorGivenThenTheServerUsesTheSettings() {
        AuthorizationServerSettings settings = settings();

        McpOAuth oauth = McpOAuth.builder().settings(settings).authenticator(authenticator()).build();

        assertThat(oauth.server().settings()).isSameAs(settings);
    }
}
