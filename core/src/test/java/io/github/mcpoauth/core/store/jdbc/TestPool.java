package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresPool;
import javax.sql.DataSource;

/** The test kit's {@link EmbeddedPostgresPool}, under the name the tests of this package know. */
final class TestPool {

    private TestPool() {
    }

    static DataSource over(DataSource target) {
        return EmbeddedPostgresPool.over(target);
    }
}
