package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.testkit.SigningKeyStoreContract;
import java.time.Clock;

/** Runs the contract with each "node" on stores of its own over one database. */
class JdbcSigningKeyStoreTest extends SigningKeyStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Override
    protected SigningKeyStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SCHEMA.stores(clock).keys();
    }

    @Override
    protected SigningKeyStore anotherNode(SigningKeyStore store, Clock clock) {
        return SCHEMA.stores(clock).keys();
    }
}
