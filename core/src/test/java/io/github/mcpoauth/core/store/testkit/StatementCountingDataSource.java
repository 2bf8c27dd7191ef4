package io.github.mcpoauth.core.store.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that counts the statements prepared or created on its connections by the threads a
 * test cares about (e.g. request threads, not the library's background threads), and that can be switched to
 * refuse every connection, as a database that went away would ({@code SQLState 08001}), for those threads too.
 */
public final class StatementCountingDataSource {

    /** Library background threads are named {@code mcp-oauth-...}; every other thread is counted by default. */
    public static final Predicate<Thread> NOT_BACKGROUND = t -> !t.getName().startsWith("mcp-oauth-");

    private final DataSource target;
    private final Predicate<Thread> counted;
    private final AtomicInteger statements = new AtomicInteger();
    private volatile Predicate<Thread> refused = t -> false;

    private StatementCountingDataSource(DataSource target, Predicate<Thread> counted) {
        this.target = Objects.requireNonNull(target, "target");
        this.counted = Objects.requireNonNull(counted, "counted");
    }

    /** A wrapper of {@code target} counting the statements of the threads {@code counted} accepts. */
    public static StatementCountingDataSource over(DataSource target, Predicate<Thread> counted) {
        return new StatementCountingDataSource(target, counted);
    }

    /** The data source to hand to the stores. */
    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        if (refused.test(Thread.currentThread())) {
                            throw new SQLNonTransientConnectionException("database unreachable (test)", "08001");
                        }
                        return counting((Connection) invoke(method, target, args));
                    }
                    return invoke(method, target, args);
                });
    }

    /** Statements counted since the last {@link #reset()}. */
    public int statements() {
        return statements.get();
    }

    /** Starts counting again from zero. */
    public void reset() {
        statements.set(0);
    }

    /** From now on, refuses connections to the threads {@code which} accepts ({@code t -> false}: none). */
    public void refuse(Predicate<Thread> which) {
        this.refused = Objects.requireNonNull(which, "which");
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if ((name.equals("prepareStatement") || name.equals("createStatement")
                            || name.equals("prepareCall")) && counted.test(Thread.currentThread())) {
                        statements.incrementAndGet();
                    }
                    return invoke(method, connection, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof SQLException s ? s : e.getCause();
        }
    }
}
