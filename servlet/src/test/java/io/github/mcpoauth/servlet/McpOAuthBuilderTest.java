package io.github.mcpoauth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.client.document.MetadataDocumentClients;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    void whenClosedThenTheServersOwnDocumentClientsStopButTheHostsStayOpen() {
        List<String> asked = new CopyOnWriteArrayList<>();
        Stores base = InMemoryStores.create(Clock.systemUTC());
        MetadataDocumentClients hosts = MetadataDocumentClients.builder().delegate(base.clients()).settings(settings())
                .resolver(host -> {
                    asked.add(host);
                    throw new UnknownHostException(host);
                }).build();
        McpOAuth withHostDocuments = McpOAuth.builder().settings(settings()).authenticator(authenticator())
                .stores(base.withClients(hosts)).build();
        McpOAuth withOwnDocuments = McpOAuth.builder().settings(settings()).authenticator(authenticator()).build();

        withHostDocuments.close();
        withOwnDocuments.close();

        assertThat(withHostDocuments.server().stores().clients()).isSameAs(hosts);
        assertThat(hosts.findById(new ClientID("https://client.example/metadata.json"))).isEmpty();
        assertThat(asked).containsExactly("client.example");
        assertThat(withOwnDocuments.server().stores().clients()).isInstanceOf(MetadataDocumentClients.class);
        assertThat(withOwnDocuments.server().stores().clients()
                .findById(new ClientID("https://client.example/metadata.json"))).isEmpty();
        hosts.close();
    }
}
