package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.testkit.GrantStoreContract;
import java.time.Clock;

class MemoryGrantStoreTest extends GrantStoreContract {

    @Override
    protected GrantStore createStore(Clock clock) {
        return InMemoryStores.create(clock).grants();
    }
}
