package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Which store operations pay for a transaction: a single-statement read runs in the connection's auto-commit mode
 * (no {@code COMMIT} round trip on every guarded request), a multi-statement write commits.
 */
class JdbcTransactionsTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    private final MutableClock clock = MutableClock.at(MutableClock.START);
    private final AtomicInteger commits = new AtomicInteger();

    /** The test database, counting {@link Connection#commit()} calls. */
    private DataSource countingCommits(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return method.getName().equals("getConnection") ? counting((Connection) result) : result;
                });
    }

    private Connection counting(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        commits.incrementAndGet();
                    }
                    return invoke(target, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void whenAGrantIsReadThenNoCommitAndWhenSavedThenOne() {
        Stores stores = JdbcStores.newBuilder(countingCommits(SCHEMA.dataSource), clock).schema(SCHEMA.name)
                .build().stores();
        Grant grant = TestGrants.grant().build();

        stores.grants().save(grant);
        assertThat(commits).as("save").hasValue(1);

        assertThat(stores.grants().findById(grant.grantId())).isPresent();
        assertThat(stores.grants().findByRefreshToken(grant.grantId(), grant.refreshTokenHash().orElseThrow()))
                .isPresent();
        assertThat(stores.keys().findAll()).isEmpty();
        assertThat(commits).as("reads").hasValue(1);
    }
}
