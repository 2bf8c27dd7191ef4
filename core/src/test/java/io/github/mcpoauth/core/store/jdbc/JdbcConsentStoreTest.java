package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.ConsentStore;
import io.github.mcpoauth.core.store.testkit.ConsentStoreContract;
import java.time.Clock;

class JdbcConsentStoreTest extends ConsentStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Override
    protected ConsentStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SCHEMA.stores(clock).consents();
    }
}
