package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.testkit.ClientStoreContract;
import java.time.Clock;

class MemoryClientStoreTest extends ClientStoreContract {

    @Override
    protected ClientStore createStore(Clock clock) {
        return InMemoryStores.create(clock).clients();
    }
}
