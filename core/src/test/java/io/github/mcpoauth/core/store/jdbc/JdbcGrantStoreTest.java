package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.testkit.GrantStoreContract;
import java.time.Clock;

class JdbcGrantStoreTest extends GrantStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Override
    protected GrantStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SCHEMA.stores(clock).grants();
    }

    @Override
    protected boolean findsTokensThatNameNoGrant() {
        return true;
    }
}
