package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.testkit.ClientStoreContract;
import java.time.Clock;

class JdbcClientStoreTest extends ClientStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Override
    protected ClientStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SCHEMA.stores(clock).clients();
    }
}
