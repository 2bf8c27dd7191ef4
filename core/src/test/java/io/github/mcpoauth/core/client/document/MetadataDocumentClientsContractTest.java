package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.ClientStoreContract;
import io.github.mcpoauth.core.store.testkit.TestClients;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MetadataDocumentClients} is a {@link ClientStore} like any other: the whole contract holds for it, over
 * an in-memory delegate. Its resolver knows no host, so an id the contract never saved cannot be fetched from the
 * network; a saved https {@code client_id} (a pre-registered one) is answered by the delegate without a fetch.
 */
class MetadataDocumentClientsContractTest extends ClientStoreContract {

    private final FakeResolver resolver = new FakeResolver();
    private MetadataDocumentClients documents;

    @Override
    protected ClientStore createStore(Clock clock) {
        documents = MetadataDocumentClients.builder()
                .delegate(InMemoryStores.create(clock).clients())
                .settings(AuthorizationServerSettings.builder().issuer("https://as.example").clock(clock).build())
                .resolver(resolver)
                .build();
        return documents;
    }

    @AfterEach
    void closeFetcher() {
        documents.close();
    }

    @Test
    void whenHttpsClientIdSavedThenFoundWithoutFetchingItsDocument() {
        RegisteredClient client = TestClients.publicClient().clientId("https://client.example/metadata.json").build();

        store.save(client);

        assertThat(store.findById(new ClientID("https://client.example/metadata.json"))).contains(client);
        assertThat(resolver.asked).isEmpty();
    }

    @Test
    void whenHttpsClientIdDeletedThenItsDocumentIsLookedUpAndTheUnreachableOneIsNotFound() {
        RegisteredClient client = TestClients.publicClient().clientId("https://client.example/metadata.json").build();
        store.save(client);

        store.delete(client.clientId());

        assertThat(store.findById(client.clientId())).isEmpty();
        assertThat(resolver.asked).containsExactly("client.example");
    }

    @Test
    void whenClosedThenNoDocumentIsFetchedAndSavedClientsAreStillFound() {
        RegisteredClient saved = TestClients.publicClient().build();
        store.save(saved);

        documents.close();

        assertThat(store.findById(new ClientID("https://client.example/metadata.json"))).isEmpty();
        assertThat(resolver.asked).isEmpty();
        assertThat(store.findById(saved.clientId())).contains(saved);
    }
}
