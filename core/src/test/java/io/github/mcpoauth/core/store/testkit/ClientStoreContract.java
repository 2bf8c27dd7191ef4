package io.github.mcpoauth.core.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ClientStore}: subclass it and return a store from {@link #createStore}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3</a>
 */
public abstract class ClientStoreContract {

    /** The clock handed to the store. */
    protected final MutableClock clock = MutableClock.at(MutableClock.START);

    /** The store under test, created before each test. */
    protected ClientStore store;

    /** A store to test, on {@code clock}; it may hold clients of earlier tests, never ones these tests make. */
    protected abstract ClientStore createStore(Clock clock);

    @BeforeEach
    public void createStoreUnderTest() {
        store = createStore(clock);
    }

    @Test
    public void whenConfidentialClientSavedThenFoundByIdWithEveryField() {
        RegisteredClient client = TestClients.confidentialClient()
                .authenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .redirectUris("https://app.example.com/cb", "http://127.0.0.1/cb")
                .grantTypes(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS)
                .scopes("mcp:read", "mcp:write", "admin")
                .clientName("Éclair ☕ client")
                .issuedAt(MutableClock.START.plusMillis(123))
                .build();

        store.save(client);

        assertThat(store.findById(client.clientId())).contains(client);
    }

    @Test
    public void whenPublicClientSavedThenFoundWithoutSecretOrName() {
        RegisteredClient client = TestClients.publicClient().clientName(null).scopes().build();

        store.save(client);

        RegisteredClient found = store.findById(client.clientId()).orElseThrow();
        assertThat(found).isEqualTo(client);
        assertThat(found.secretHash()).isEmpty();
        assertThat(found.clientName()).isEmpty();
        assertThat(found.scopes()).isEmpty();
    }

    @Test
    public void whenRedirectUrisSavedThenTheirOrderIsKept() {
        RegisteredClient client = TestClients.publicClient()
                .redirectUris("http://127.0.0.1/z", "http://127.0.0.1/a", "http://localhost/m").build();

        store.save(client);

        assertThat(store.findById(client.clientId()).orElseThrow().redirectUris()).containsExactly(
                URI.create("http://127.0.0.1/z"), URI.create("http://127.0.0.1/a"), URI.create("http://localhost/m"));
    }

    @Test
    public void whenMetadataJsonSavedThenReturnedVerbatim() {
        String json = "{ \"z\" : 1,\n  \"client_name\": \"x\", \"a\": [true, null, 1.50] }";
        RegisteredClient client = TestClients.publicClient().metadataJson(json).build();

        store.save(client);

        assertThat(store.findById(client.clientId()).orElseThrow().metadataJson()).isEqualTo(json);
    }

    @Test
    public void whenClientIdIsAnHttpsUrlThenFound() {
        RegisteredClient client = TestClients.publicClient()
                .clientId("https://client.example.com/oauth/metadata.json?v=1").build();

        store.save(client);

        assertThat(store.findById(new ClientID("https://client.example.com/oauth/metadata.json?v=1")))
                .contains(client);
    }

    @Test
    public void whenUnknownIdThenEmpty() {
        assertThat(store.findById(new ClientID("no-such-client-" + System.nanoTime()))).isEmpty();
    }

    @Test
    public void whenSavedAgainWithSameIdThenReplaced() {
        RegisteredClient first = TestClients.confidentialClient().build();
        RegisteredClient second = TestClients.publicClient().clientId(first.clientId().getValue())
                .redirectUris("https://other.example.com/cb").clientName("renamed")
                .issuedAt(MutableClock.START.plus(Duration.ofDays(1))).build();

        store.save(first);
        store.save(second);

        assertThat(store.findById(first.clientId())).contains(second);
    }

    @Test
    public void whenDeletedThenNotFound() {
        RegisteredClient client = TestClients.publicClient().build();
        store.save(client);

        store.delete(client.clientId());

        assertThat(store.findById(client.clientId())).isEmpty();
    }

    @Test
    public void whenOneClientDeletedThenOthersKept() {
        RegisteredClient gone = TestClients.publicClient().build();
        RegisteredClient kept = TestClients.publicClient().build();
        store.save(gone);
        store.save(kept);

        store.delete(gone.clientId());

        assertThat(store.findById(kept.clientId())).contains(kept);
    }

    @Test
    public void whenDeletingUnknownClientThenNothingHappens() {
        store.delete(new ClientID("no-such-client-" + System.nanoTime()));
    }

    @Test
    public void whenDeletedAndSavedAgainThenFound() {
        RegisteredClient client = TestClients.publicClient().build();
        store.save(client);
        store.delete(client.clientId());

        store.save(client);

        assertThat(store.findById(client.clientId())).contains(client);
    }

    @Test
    public void whenMachineClientWithKeysAndNoRedirectUrisSavedThenFound() {
        RegisteredClient client = TestClients.publicClient()
                .authenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .redirectUris()
                .grantTypes(GrantType.CLIENT_CREDENTIALS, GrantType.JWT_BEARER)
                .metadataJson("{\"jwks\":{\"keys\":[]}}")
                .build();

        store.save(client);

        assertThat(store.findById(client.clientId())).contains(client);
    }

    @Test
    public void whenClientsSavedThenFindAllListsThemAndNotDeletedOnes() {
        RegisteredClient a = TestClients.confidentialClient().build();
        RegisteredClient b = TestClients.publicClient().build();
        RegisteredClient gone = TestClients.publicClient().build();
        store.save(a);
        store.save(b);
        store.save(gone);
        store.delete(gone.clientId());

        assertThat(store.findAll()).contains(a, b).doesNotContain(gone);
    }
}
