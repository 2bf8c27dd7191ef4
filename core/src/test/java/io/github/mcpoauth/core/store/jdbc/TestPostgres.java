package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import javax.sql.DataSource;

/**
 * The test kit's {@link EmbeddedPostgresDatabase} (one embedded PostgreSQL per test JVM), under the names the
 * tests of this package know. Test classes take a schema or database of their own from it.
 */
final class TestPostgres {

    private TestPostgres() {
    }

    /** The {@code postgres} database, through a small pool shared by the tests. */
    static DataSource dataSource() {
        return EmbeddedPostgresDatabase.dataSource();
    }

    /** The {@code postgres} database, a new connection per {@code getConnection()}. */
    static DataSource unpooledDataSource() {
        return EmbeddedPostgresDatabase.unpooledDataSource();
    }

    /** The port the server listens on (loopback). */
    static int port() {
        return EmbeddedPostgresDatabase.port();
    }

    /** A fresh, empty database of its own, for tests that need the default (unqualified) table names. */
    static DataSource newDatabase() {
        return EmbeddedPostgresDatabase.newDatabase();
    }

    /** A name no other test of this JVM uses. */
    static String uniqueName(String prefix) {
        return EmbeddedPostgresDatabase.uniqueName(prefix);
    }

    static void execute(String sql) {
        EmbeddedPostgresDatabase.execute(sql);
    }
}
