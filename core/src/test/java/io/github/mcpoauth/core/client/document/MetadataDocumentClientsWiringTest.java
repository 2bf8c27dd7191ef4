package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.core.internal.authorization.AuthorizationOutcome;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decorator wired into a whole {@link AuthorizationServer} through {@link Stores#withClients}: the endpoints,
 * unchanged, accept clients identified by a metadata document and treat a bad one as an unknown client.
 */
class MetadataDocumentClientsWiringTest {

    @TempDir
    static Path dir;
    static TestTls tls;
    static DocumentServer server;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer("https://as.example")
            .clock(clock).build();
    final Stores stores = InMemoryStores.create(clock);
    final MetadataDocumentClients clients = MetadataDocumentClients.builder().delegate(stores.clients())
            .settings(settings).resolver(new FakeResolver().map("client.test", "127.0.0.1"))
            .addressPolicy(MetadataDocumentClientsTest.LOOPBACK_FOR_TESTS).sslContext(tls.client)
            .timeout(Duration.ofSeconds(2)).build();
    final AuthorizationServer as = AuthorizationServer.builder().settings(settings)
            .stores(stores.withClients(clients)).build();

    @BeforeAll
    static void startServer() throws Exception {
        tls = TestTls.create(dir);
        server = new DocumentServer(tls.server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    static Map<String, List<String>> authorizationRequest(String clientId) {
        return Map.of("client_id", List.of(clientId), "redirect_uri", List.of("http://127.0.0.1:3000/callback"),
                "response_type", List.of("code"), "state", List.of("xyz"),
                "code_challenge", List.of("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
                "code_challenge_method", List.of("S256"));
    }

    @Test
    void whenStoresAreWrappedThenOnlyTheClientStoreChanges() {
        Stores wrapped = stores.withClients(clients);

        assertThat(wrapped.clients()).isSameAs(clients);
        assertThat(wrapped.codes()).isSameAs(stores.codes());
        assertThat(wrapped.grants()).isSameAs(stores.grants());
        assertThat(wrapped.consents()).isSameAs(stores.consents());
        assertThat(wrapped.keys()).isSameAs(stores.keys());
        assertThat(as.stores().clients()).isSameAs(clients);
    }

    @Test
    void whenClientIdIsAValidDocumentUrlThenTheAuthorizationRequestIsValid() {
        String id = server.url("client.test", "/app.json");
        server.json("/app.json", MetadataDocumentClientsTest.document(id));

        AuthorizationOutcome outcome = as.authorization().validate(authorizationRequest(id));

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LoginRequired.class);
        assertThat(((AuthorizationOutcome.LoginRequired) outcome).request().clientDisplayName())
                .isEqualTo("Example MCP Client");
    }

    @Test
    void whenDocumentIsBadThenTheAuthorizationEndpointShowsALocalErrorAndRedirectsNowhere() {
        String id = server.url("client.test", "/app.json");
        server.json("/app.json", MetadataDocumentClientsTest.document(id + "x"));

        AuthorizationOutcome outcome = as.authorization().validate(authorizationRequest(id));

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LocalError.class);
        assertThat(((AuthorizationOutcome.LocalError) outcome).error().getCode())
                .isEqualTo(OAuth2Error.INVALID_CLIENT.getCode());
    }

    @Test
    void whenRedirectUriIsNotInTheDocumentThenLocalError() {
        String id = server.url("client.test", "/app.json");
        server.json("/app.json", MetadataDocumentClientsTest.document(id));
        Map<String, List<String>> request = new java.util.HashMap<>(authorizationRequest(id));
        request.put("redirect_uri", List.of("https://attacker.example/cb"));

        assertThat(as.authorization().validate(request)).isInstanceOf(AuthorizationOutcome.LocalError.class);
    }

    @Test
    void whenTheClientAuthenticatesAtTheTokenEndpointThenItIsAPublicClient() {
        String id = server.url("client.test", "/app.json");
        server.json("/app.json", MetadataDocumentClientsTest.document(id));
        ClientAuthenticator authenticator = new ClientAuthenticator(clients, clock, event -> { });

        RegisteredClient client = authenticator.authenticate(null, new ClientID(id));

        assertThat(client.clientId().getValue()).isEqualTo(id);
        assertThatThrownBy(() -> authenticator.authenticate(null, new ClientID(id + "-missing")))
                .isInstanceOf(OAuthException.class);
    }
}
