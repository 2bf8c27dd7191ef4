package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.StoreCleanup;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Every store in a PostgreSQL database through plain JDBC: for several nodes sharing state, and state that
 * survives restarts. The only public entry of {@code store.jdbc}.
 *
 * <pre>{@code
 * JdbcStores jdbc = JdbcStores.newBuilder(dataSource, clock)   // e.g. a HikariDataSource
 *         .schema("oauth")                                     // optional; default: the search_path
 *         .queryTimeout(Duration.ofSeconds(3))
 *         .build();
 * jdbc.migrate();                                              // creates or upgrades the tables
 * Stores stores = jdbc.stores();
 * }</pre>
 *
 * <p>Atomicity lives in the database: {@code consume} is one conditional {@code UPDATE}, {@code rotate} a
 * compare-and-set {@code UPDATE} plus the new hash's history row in one transaction; every operation is a
 * transaction of its own, rolled back on failure, under a query timeout. Failures are thrown as
 * {@link StoreException}, {@linkplain StoreException#isUnavailable() telling} an outage from other failures.
 * Codes, tokens and secrets are stored only as the hashes the records hold. Instants are kept to the
 * microsecond (truncated).
 *
 * <p>The stores hold no connection and no state of their own: create them once, share them between threads.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 (refresh token rotation)</a>
 */
public final class JdbcStores {

    /** The table name prefix unless another is chosen. */
    public static final String DEFAULT_TABLE_PREFIX = "mcp_oauth_";

    /** The query timeout unless another is chosen. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private final Tables tables;
    private final Jdbc jdbc;
    private final Stores stores;

    private JdbcStores(Builder b) {
        this.clock = b.clock;
        this.tables = new Tables(b.schema, b.tablePrefix);
        this.jdbc = new Jdbc(b.dataSource, b.queryTimeout);
        this.stores = new Stores(new JdbcClientStore(jdbc, tables), new JdbcCodeStore(jdbc, tables, clock),
                new JdbcGrantStore(jdbc, tables, clock), new JdbcConsentStore(jdbc, tables),
                new JdbcSigningKeyStore(jdbc, tables));
    }

    /**
     * The stores in the default tables ({@value #DEFAULT_TABLE_PREFIX}*, on the connection's search path) with the
     * default query timeout. Does not create the tables: see {@link #migrate()}.
     */
    public static Stores create(DataSource dataSource, Clock clock) {
        return newBuilder(dataSource, clock).build().stores();
    }

    /** A builder for stores on {@code dataSource}, expiring entries by {@code clock}. */
    public static Builder newBuilder(DataSource dataSource, Clock clock) {
        return new Builder(dataSource, clock);
    }

    /** The five stores (the same instances at every call). */
    public Stores stores() {
        return stores;
    }

    /**
     * Creates the schema (if one was named and is missing) and the tables, or upgrades them, by applying the
     * versioned scripts the database lacks; safe to call at every start, from every node at once (it holds a
     * PostgreSQL advisory lock). Runs without a query timeout.
     *
     * @return the number of scripts applied, 0 if the schema was up to date
     * @throws StoreException if the database is unavailable, or a script applied earlier was changed since
     */
    public int migrate() {
        return new JdbcSchema(jdbc, tables).migrate();
    }

    /**
     * A cleanup job that purges expired authorization codes, expired grants with every refresh token hash they
     * had, and signing keys past their expiry. Clients are kept.
     */
    public StoreCleanup cleanup() {
        return new JdbcCleanup(jdbc, tables, clock, Optional.empty(), client -> false);
    }

    /**
     * A cleanup job that also deletes abandoned clients, with their consents: those {@code deletable} accepts
     * that were registered at least {@code idleFor} ago and have had no live grant for {@code idleFor}.
     *
     * <p>The stores do not know how a client came to be; say which clients may go. For example, when the host
     * configures a few clients itself and every other one registered dynamically (RFC 7591):
     * {@code client -> !configuredIds.contains(client.clientId())}.
     *
     * @param idleFor how long a client may go without a live grant before it is deleted; at least one day
     * @param deletable which clients may be deleted (a predicate that throws keeps the client)
     */
    public StoreCleanup cleanup(Duration idleFor, Predicate<? super RegisteredClient> deletable) {
        Objects.requireNonNull(idleFor, "idleFor");
        Objects.requireNonNull(deletable, "deletable");
        if (idleFor.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("idleFor must be at least one day: " + idleFor);
        }
        return new JdbcCleanup(jdbc, tables, clock, Optional.of(idleFor), deletable);
    }

    @Override
    public String toString() {
        return "JdbcStores[tables=" + tables + "]";
    }

    /** Options of {@link JdbcStores}; every one has a default. */
    public static final class Builder {

        private final DataSource dataSource;
        private final Clock clock;
        private Optional<String> schema = Optional.empty();
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder(DataSource dataSource, Clock clock) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /**
         * The schema holding the tables, created by {@link #migrate()} if missing; default: none, the tables
         * are unqualified and found on the connection's {@code search_path}. Lower case, unquoted identifier.
         */
        public Builder schema(String schema) {
            this.schema = Optional.of(Tables.checkSchema(Objects.requireNonNull(schema, "schema")));
            return this;
        }

        /**
         * The prefix of every table name (default {@value #DEFAULT_TABLE_PREFIX}): lower case letters, digits and
         * underscores, at most 30 characters, possibly empty when a {@link #schema} is set.
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = Tables.checkPrefix(Objects.requireNonNull(tablePrefix, "tablePrefix"));
            return this;
        }

        /**
         * How long one statement may run before it is cancelled and the operation fails as
         * {@linkplain StoreException#isUnavailable() unavailable} (default 5 seconds); rounded up to whole seconds.
         */
        public Builder queryTimeout(Duration queryTimeout) {
            Objects.requireNonNull(queryTimeout, "queryTimeout");
            if (queryTimeout.isZero() || queryTimeout.isNegative()) {
                throw new IllegalArgumentException("queryTimeout must be positive: " + queryTimeout);
            }
            this.queryTimeout = queryTimeout;
            return this;
        }

        /** The stores. */
        public JdbcStores build() {
            if (schema.isEmpty() && tablePrefix.isEmpty()) {
                throw new IllegalArgumentException("tablePrefix may only be empty when a schema is set");
            }
            return new JdbcStores(this);
        }
    }
}
