package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.testkit.AuthorizationCodeStoreContract;
import java.time.Clock;

class MemoryAuthorizationCodeStoreTest extends AuthorizationCodeStoreContract {

    @Override
    protected AuthorizationCodeStore createStore(Clock clock) {
        return InMemoryStores.create(clock).codes();
    }

    @Override
    protected GrantStore createGrantStore(Clock clock) {
        return InMemoryStores.create(clock).grants();
    }
}
