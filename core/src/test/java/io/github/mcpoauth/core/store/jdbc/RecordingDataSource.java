package io.github.mcpoauth.core.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source over a real one that records every statement executed through it (its SQL and the parameters
 * bound) and counts the commits and rollbacks: what the statement-count and EXPLAIN tests read.
 */
final class RecordingDataSource {

    /** One executed statement: its SQL and its parameters by index. */
    record Executed(String sql, Map<Integer, Object> parameters) {
    }

    private final DataSource target;
    private final List<Executed> executed = new CopyOnWriteArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();

    RecordingDataSource(DataSource target) {
        this.target = target;
    }

    /** The data source to give the stores. */
    DataSource dataSource() {
        return proxy(DataSource.class, (p, m, a) -> m.getName().equals("getConnection")
                ? connection((Connection) invoke(m, target, a)) : invoke(m, target, a));
    }

    /** What was executed since the last {@link #reset}, in order. */
    List<Executed> executed() {
        return List.copyOf(executed);
    }

    int commits() {
        return commits.get();
    }

    int rollbacks() {
        return rollbacks.get();
    }

    void reset() {
        executed.clear();
        commits.set(0);
        rollbacks.set(0);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, (p, m, a) -> {
            switch (m.getName()) {
                case "prepareStatement":
                    return statement((PreparedStatement) invoke(m, real, a), (String) a[0]);
                case "createStatement":
                    return plain((Statement) invoke(m, real, a));
                case "commit":
                    commits.incrementAndGet();
                    break;
                case "rollback":
                    rollbacks.incrementAndGet();
                    break;
                default:
                    break;
            }
            return invoke(m, real, a);
        });
    }

    private PreparedStatement statement(PreparedStatement real, String sql) {
        Map<Integer, Object> parameters = new TreeMap<>();
        return proxy(PreparedStatement.class, (p, m, a) -> {
            String name = m.getName();
            if (name.startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer index
                    && !name.equals("setQueryTimeout")) {
                parameters.put(index, a[1]);
            } else if (name.startsWith("execute")) {
                executed.add(new Executed(sql, java.util.Collections.unmodifiableMap(new TreeMap<>(parameters))));
            }
            return invoke(m, real, a);
        });
    }

    private Statement plain(Statement real) {
        return proxy(Statement.class, (p, m, a) -> {
            if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
                executed.add(new Executed(sql, Map.of()));
            }
            return invoke(m, real, a);
        });
    }

    /** The statements of {@link #executed} whose SQL touches {@code table}. */
    List<Executed> touching(String table) {
        List<Executed> out = new ArrayList<>();
        for (Executed e : executed) {
            if (e.sql().contains(table)) {
                out.add(e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
