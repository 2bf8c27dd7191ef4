package io.github.mcpoauth.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.fixtures.FlakyKeyStore;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: a server makes (or reads) its first signing key when it is built, not in its first token
 * request; a key store that cannot be read then does not stop it from starting.
 */
class StartKeysTest {

    private final MutableClock clock = MutableClock.atStart();

    @Test
    void whenTheServerIsBuiltThenItsFirstSigningKeyIsAlreadyStored() {
        Stores stores = InMemoryStores.create(clock);

        try (AuthorizationServer server = AuthorizationServer.builder().settings(TestServer.settings(clock).build())
                .stores(stores).warmUpFlows(0).build()) {
            assertThat(stores.keys().findAll()).singleElement()
                    .satisfies(k -> assertThat(k.keyId()).isEqualTo(server.signingKeys().currentKey().getKeyID()));
        }
    }

    @Test
    void whenTheKeyStoreIsDownAtBuildThenTheServerStartsAndItsFirstTokenRequestMakesTheKey() {
        Stores memory = InMemoryStores.create(clock);
        FlakyKeyStore keys = new FlakyKeyStore(memory.keys());
        keys.down.set(true);

        try (AuthorizationServer server = AuthorizationServer.builder().settings(TestServer.settings(clock).build())
                .stores(memory.withKeys(keys)).warmUpFlows(0).build()) {
            assertThat(memory.keys().findAll()).isEmpty();
            keys.down.set(false);

            assertThat(server.signingKeys().currentKey().getKeyID())
                    .isEqualTo(memory.keys().findAll().get(0).keyId());
        }
    }
}
