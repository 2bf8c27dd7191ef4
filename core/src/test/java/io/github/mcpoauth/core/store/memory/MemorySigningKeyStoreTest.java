package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.testkit.SigningKeyStoreContract;
import java.time.Clock;

class MemorySigningKeyStoreTest extends SigningKeyStoreContract {

    @Override
    protected SigningKeyStore createStore(Clock clock) {
        return InMemoryStores.create(clock).keys();
    }
}
