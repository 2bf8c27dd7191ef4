package io.github.mcpoauth.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.fixtures.RecordingAuditListener;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientAuthenticatorTest {

    private final RecordingAuditListener audit = new RecordingAuditListener();
    private ClientAuthenticator authenticator;
    private RegisteredClient publicClient;
    private RegisteredClient basicClient;
    private RegisteredClient postClient;

    @BeforeEach
    void setUp() {
        MutableClock clock = MutableClock.atStart();
        Stores stores = InMemoryStores.create(clock);
        authenticator = new ClientAuthenticator(stores.clients(), clock, audit);
        publicClient = TestClients.publicClient().build();
        basicClient = TestClients.confidentialClient().build();
        postClient = TestClients.confidentialClient().secretPost().build();
        stores.clients().save(publicClient);
        stores.clients().save(basicClient);
        stores.clients().save(postClient);
    }

    private static ClientSecretBasic basic(RegisteredClient c, String secret) {
        return new ClientSecretBasic(c.clientId(), new Secret(secret));
    }

    private static ClientSecretPost post(RegisteredClient c, String secret) {
        return new ClientSecretPost(c.clientId(), new Secret(secret));
    }

    private void assertFails(ClientAuthentication auth, ClientID publicId) {
        assertThatThrownBy(() -> authenticator.authenticate(auth, publicId))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().getCode()).isEqualTo("invalid_client");
                    assertThat(e.error().getHTTPStatusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain(TestClients.SECRET);
                });
    }

    @Test
    void whenPublicClientSendsItsIdThenItIsAuthenticated() {
        assertThat(authenticator.authenticate(null, publicClient.clientId())).isEqualTo(publicClient);
    }

    @Test
    void whenConfidentialClientSendsOnlyItsIdThenInvalidClient() {
        assertFails(null, basicClient.clientId());
    }

    @Test
    void whenNothingIdentifiesTheClientThenInvalidClient() {
        assertFails(null, null);
    }

    @Test
    void whenUnknownClientIdThenInvalidClient() {
        assertFails(null, new ClientID("nobody"));
        assertFails(basic(TestClients.confidentialClient().clientId("nobody").build(), TestClients.SECRET), null);
    }

    @Test
    void whenRightSecretWithRegisteredMethodThenAuthenticated() {
        assertThat(authenticator.authenticate(basic(basicClient, TestClients.SECRET), null)).isEqualTo(basicClient);
        assertThat(authenticator.authenticate(post(postClient, TestClients.SECRET), null)).isEqualTo(postClient);
    }

    @Test
    void whenWrongSecretThenInvalidClientAndAnAuditEventWithoutTheSecret() {
        assertFails(basic(basicClient, TestClients.SECRET + "x"), null);
        assertFails(basic(basicClient, "short"), null);
        assertFails(post(postClient, ""), null);

        assertThat(audit.events(AuditEvent.Type.AUTHENTICATION_FAILED)).hasSize(3);
        assertThat(audit.events().toString()).doesNotContain(TestClients.SECRET);
    }

    @Test
    void whenTheStoredHashIsPresentedAsTheSecretThenInvalidClient() {
        assertFails(basic(basicClient, basicClient.secretHash().orElseThrow()), null);
    }

    @Test
    void whenSecretIsSentWithAnotherMethodThanRegisteredThenInvalidClient() {
        assertFails(post(basicClient, TestClients.SECRET), null);
        assertFails(basic(postClient, TestClients.SECRET), null);
    }

    @Test
    void whenPublicClientSendsASecretThenInvalidClient() {
        assertFails(basic(publicClient, "anything"), null);
        assertFails(post(publicClient, ""), null);
    }

    @Test
    void whenAnotherAuthenticationMethodIsUsedThenInvalidClient() throws Exception {
        ClientSecretJWT jwt = new ClientSecretJWT(basicClient.clientId(), URI.create("https://as.example.com/token"),
                com.nimbusds.jose.JWSAlgorithm.HS256, new Secret(TestClients.SECRET + TestClients.SECRET));

        assertFails(jwt, null);
    }
}
