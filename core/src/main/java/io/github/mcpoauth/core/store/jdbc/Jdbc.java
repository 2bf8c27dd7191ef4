package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Connections, transactions, query timeouts and the translation of {@link SQLException}s into
 * {@link StoreException}s, shared by the JDBC stores.
 *
 * <p>Every operation of several statements runs in a transaction of its own, whatever the pool's auto-commit
 * setting, and is rolled back on any failure; a single-statement read runs in auto-commit mode when the connection
 * has it.
 */
final class Jdbc {

    private static final System.Logger LOG = System.getLogger(Jdbc.class.getName());

    /** Work done on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    Jdbc(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = dataSource;
        // JDBC counts whole seconds; round up so a sub-second timeout is not "no timeout" (0).
        long seconds = queryTimeout.toSeconds() + (queryTimeout.getNano() > 0 ? 1 : 0);
        this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
    }

    /** Whether {@code other} takes its connections from the same data source (so one transaction can span both). */
    boolean sameDataSource(Jdbc other) {
        return other != null && dataSource == other.dataSource;
    }

    /**
     * Runs {@code work} in a transaction: committed if it returns, rolled back if it throws.
     *
     * @param operation what is being done, for the exception message (never a value)
     */
    <T> T inTransaction(String operation, Work<T> work) {
        return withConnection(operation, connection -> transact(connection, work));
    }

    /**
     * Runs {@code work}, one SQL statement (atomic by itself), in the connection's auto-commit mode when it has it:
     * no {@code COMMIT} round trip, which matters for the reads on every guarded request. On a connection without
     * auto-commit it runs in a transaction like {@link #inTransaction}.
     *
     * @param operation what is being done, for the exception message (never a value)
     */
    <T> T singleStatement(String operation, Work<T> work) {
        return withConnection(operation,
                connection -> connection.getAutoCommit() ? work.run(connection) : transact(connection, work));
    }

    private <T> T withConnection(String operation, Work<T> work) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            // No statement ran: whatever the state, the store cannot be reached.
            throw StoreException.unavailable(operation + " failed: cannot get a database connection ("
                    + describe(e) + ")", connectionCause(e));
        } catch (RuntimeException e) {
            throw StoreException.unavailable(operation + " failed: cannot get a database connection ("
                    + e.getClass().getName() + ")", e);
        }
        try (connection) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(operation, e);
        }
    }

    private static <T> T transact(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        } finally {
            if (autoCommit) {
                restoreAutoCommit(connection);
            }
        }
    }

    /** A prepared statement with the configured query timeout. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setQueryTimeout(queryTimeoutSeconds);
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is probably gone; the database rolls back an unfinished transaction itself.
            failure.addSuppressed(scrub(e));
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot restore auto-commit on a connection: {0}", describe(e));
        }
    }

    /** The exception to throw for {@code e}, raised while doing {@code operation}. */
    static StoreException translate(String operation, SQLException e) {
        if (isUnavailable(e)) {
            return StoreException.unavailable(operation + " failed: store unavailable (" + describe(e) + ")",
                    connectionCause(e));
        }
        return StoreException.failed(operation + " failed (" + describe(e) + ")", scrub(e));
    }

    /**
     * Whether {@code e} means the database cannot serve now: connection failures (SQLState class 08), resource
     * exhaustion (53), operator intervention incl. statement timeouts (57, 57014), system errors (58), lock
     * timeouts (55P03), serialization failures and deadlocks (40001, 40P01), a read-only standby (25006).
     */
    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                || state.equals("55P03") || state.equals("40001") || state.equals("40P01") || state.equals("25006");
    }

    private static String describe(SQLException e) {
        return e.getClass().getSimpleName() + ", SQLState " + e.getSQLState() + ", error code " + e.getErrorCode();
    }

    /**
     * The cause to chain for a failure to reach the database. Connection failures are described by the driver
     * or pool without stored values (host, port, timeout), so they are kept as they are; anything else is scrubbed.
     */
    private static Throwable connectionCause(SQLException e) {
        String state = e.getSQLState();
        boolean connection = (state != null && state.startsWith("08"))
                || e instanceof SQLNonTransientConnectionException
                || e instanceof java.sql.SQLTransientConnectionException;
        return connection ? e : scrub(e);
    }

    /**
     * A copy of {@code e} without its message, which a database may fill with the values of the statement (a
     * duplicate key quotes the key, which is a hash), keeping its class name, SQLState, error code and stack.
     * Non-SQL causes (sockets, I/O) are kept.
     */
    static SQLException scrub(SQLException e) {
        SQLException copy = new SQLException(describe(e) + " [message withheld]", e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        while (cause instanceof SQLException) {
            cause = cause.getCause();
        }
        if (cause != null) {
            copy.initCause(cause);
        }
        return copy;
    }

    // ---- value mapping -------------------------------------------------------------------------------------

    /**
     * An instant as a {@code timestamptz} parameter, truncated to the microsecond PostgreSQL keeps (truncated, not
     * rounded: an expiry never moves later).
     */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Array textArray(Connection connection, Collection<?> values, boolean sort) throws SQLException {
        Stream<String> strings = values.stream().map(String::valueOf);
        return connection.createArrayOf("text", (sort ? strings.sorted() : strings).toArray(String[]::new));
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
