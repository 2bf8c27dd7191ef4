package io.github.mcpoauth.core.store.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A minimal connection pool for the tests (the library has none and wants none): reuses connections so that the
 * suite does not pay a server process per operation. A connection comes back into the pool only if it is still
 * valid and in auto-commit mode, as the stores must leave it. Unbounded; idle connections close with the server.
 * Used by {@link EmbeddedPostgresDatabase}.
 */
public final class EmbeddedPostgresPool {

    private final DataSource target;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    private EmbeddedPostgresPool(DataSource target) {
        this.target = target;
    }

    /** A data source handing out pooled connections of {@code target}. */
    public static DataSource over(DataSource target) {
        EmbeddedPostgresPool pool = new EmbeddedPostgresPool(target);
        return (DataSource) Proxy.newProxyInstance(EmbeddedPostgresPool.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && (args == null || args.length == 0)) {
                        return pool.borrow();
                    }
                    return invoke(method, target, args);
                });
    }

    private Connection borrow() throws SQLException {
        Connection real = idle.pollFirst();
        if (real == null) {
            real = target.getConnection();
        }
        Connection connection = real;
        AtomicBoolean returned = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(EmbeddedPostgresPool.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (returned.compareAndSet(false, true)) {
                                giveBack(connection);
                            }
                            return null;
                        case "isClosed":
                            return returned.get() || connection.isClosed();
                        default:
                            if (returned.get()) {
                                throw new SQLException("connection was returned to the pool", "08003");
                            }
                            return invoke(method, connection, args);
                    }
                });
    }

    private void giveBack(Connection connection) {
        try {
            if (connection.getAutoCommit() && connection.isValid(2)) {
                idle.addFirst(connection);
                return;
            }
        } catch (SQLException broken) {
            // fall through: drop it
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
