package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.testkit.AuthorizationCodeStoreContract;
import java.time.Clock;

class JdbcAuthorizationCodeStoreTest extends AuthorizationCodeStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Override
    protected AuthorizationCodeStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SCHEMA.stores(clock).codes();
    }

    @Override
    protected GrantStore createGrantStore(Clock clock) {
        return SCHEMA.stores(clock).grants();
    }
}
