package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.ConsentStore;
import io.github.mcpoauth.core.store.testkit.ConsentStoreContract;
import java.time.Clock;

class MemoryConsentStoreTest extends ConsentStoreContract {

    @Override
    protected ConsentStore createStore(Clock clock) {
        return InMemoryStores.create(clock).consents();
    }
}
