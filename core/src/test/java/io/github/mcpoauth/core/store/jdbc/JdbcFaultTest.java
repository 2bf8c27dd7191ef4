package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestClients;
import io.github.mcpoauth.core.store.testkit.TestCodes;
import io.github.mcpoauth.core.store.testkit.TestConsents;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import io.github.mcpoauth.core.store.testkit.TestSigningKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class JdbcFaultTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    private final MutableClock clock = MutableClock.at(MutableClock.START);
    private Stores healthy;

    @BeforeEach
    void setUp() {
        healthy = SCHEMA.stores(clock);
    }

    private Stores storesOn(DataSource dataSource) {
        return JdbcStores.newBuilder(dataSource, clock).schema(SCHEMA.name).build().stores();
    }

    /** One call of every store operation. */
    private static Map<String, ThrowingCallable> everyOperation(Stores s) {
        RegisteredClient client = TestClients.publicClient().build();
        Grant grant = TestGrants.grant().build();
        AuthorizationCode code = TestCodes.code().build();
        Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
        ops.put("clients.save", () -> s.clients().save(client));
        ops.put("clients.findById", () -> s.clients().findById(client.clientId()));
        ops.put("clients.delete", () -> s.clients().delete(client.clientId()));
        ops.put("codes.save", () -> s.codes().save(code));
        ops.put("codes.find", () -> s.codes().find(code.codeHash()));
        ops.put("codes.consume", () -> s.codes().consume(code.codeHash()));
        ops.put("grants.save", () -> s.grants().save(grant));
        ops.put("grants.findById", () -> s.grants().findById(grant.grantId()));
        ops.put("grants.findByRefreshToken", () -> s.grants().findByRefreshToken(null,
                TestGrants.newRefreshTokenHash()));
        ops.put("grants.rotate", () -> s.grants().rotate(grant.grantId(), TestGrants.newRefreshTokenHash(),
                TestGrants.newRefreshTokenHash(), MutableClock.START.plusSeconds(60)));
        ops.put("grants.revoke", () -> s.grants().revoke(grant.grantId()));
        ops.put("consents.save", () -> s.consents().save(TestConsents.consent().build()));
        ops.put("consents.find", () -> s.consents().find("alice", new ClientID("c")));
        ops.put("consents.revoke", () -> s.consents().revoke("alice", new ClientID("c")));
        ops.put("keys.save", () -> s.keys().save(TestSigningKeys.key().build()));
        ops.put("keys.findAll", () -> s.keys().findAll());
        return ops;
    }

    private static void assertEveryOperationUnavailable(Stores stores) {
        everyOperation(stores).forEach((name, op) -> {
            StoreException e = catchThrowableOfType(StoreException.class, op);
            assertThat(e).as(name).isNotNull();
            assertThat(e.isUnavailable()).as(name + ": " + e.getMessage()).isTrue();
        });
    }

    private static String everythingPrinted(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void whenDataSourceCannotConnectThenEveryOperationIsUnavailable() {
        DataSource failing = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw new SQLException("pool exhausted");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

        assertEveryOperationUnavailable(storesOn(failing));
    }

    @Test
    void whenDatabaseIsDownThenEveryOperationIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setServerNames(new String[] {"127.0.0.1"});
        down.setPortNumbers(new int[] {closedPort});
        down.setUser("postgres");
        down.setConnectTimeout(2);

        assertEveryOperationUnavailable(storesOn(down));
    }

    @Test
    void whenConnectionDiesBetweenTheStatementsOfASaveThenUnavailableAndNothingSaved() {
        Grant grant = TestGrants.grant().build();
        // Saving a grant with a refresh token is two INSERTs; the connection is killed before the second.
        Stores dying = storesOn(killingBackendBeforeStatement(2));

        StoreException e = catchThrowableOfType(StoreException.class, () -> dying.grants().save(grant));

        assertThat(e).isNotNull();
        assertThat(e.isUnavailable()).as(e.getMessage()).isTrue();
        assertThat(healthy.grants().findById(grant.grantId())).isEmpty();
        assertThat(healthy.grants().findByRefreshToken(grant.grantId(), grant.refreshTokenHash().orElseThrow()))
                .isEmpty();
    }

    @Test
    void whenConnectionDiesAsTheRotationStatementIsPreparedThenUnavailableAndNotRotated() {
        Grant grant = TestGrants.grant().build();
        healthy.grants().save(grant);
        String next = TestGrants.newRefreshTokenHash();
        // A rotation is one statement (RotationStatement): atomic in the database, so the connection can only die
        // before it, or while it runs, which rolls it back as a whole.
        Stores dying = storesOn(killingBackendBeforeStatement(1));

        StoreException e = catchThrowableOfType(StoreException.class, () -> dying.grants().rotate(grant.grantId(),
                grant.refreshTokenHash().orElseThrow(), next, MutableClock.START.plusSeconds(60)));

        assertThat(e).isNotNull();
        assertThat(e.isUnavailable()).isTrue();
        assertThat(healthy.grants().findById(grant.grantId())).contains(grant);
        assertThat(healthy.grants().findByRefreshToken(grant.grantId(), next)).isEmpty();
    }

    @Test
    void whenConnectionDiesBetweenConsumingACodeAndSavingItsGrantThenTheCodeStaysRedeemable() {
        AuthorizationCode code = TestCodes.code().build();
        healthy.codes().save(code);
        Grant grant = TestGrants.grant().grantId(code.grantId()).build();
        // Redeeming is one transaction: the consuming UPDATE, then the grant's INSERT, killed before it runs.
        Stores dying = storesOn(killingBackendBeforeStatement(2));

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> dying.codes().redeem(code.codeHash(), grant, dying.grants()));

        assertThat(e).isNotNull();
        assertThat(e.isUnavailable()).as(e.getMessage()).isTrue();
        assertThat(healthy.codes().find(code.codeHash()).orElseThrow().consumed()).isFalse();
        assertThat(healthy.grants().findById(grant.grantId())).isEmpty();
        assertThat(healthy.codes().redeem(code.codeHash(), grant, healthy.grants())).isTrue();
        assertThat(healthy.grants().findById(grant.grantId())).contains(grant);
    }

    @Test
    void whenRecordingTheRefreshTokenFailsThenTheGrantIsNotSaved() {
        Grant first = TestGrants.grant().build();
        healthy.grants().save(first);
        // Same refresh token hash: the grant INSERT succeeds, the history INSERT violates its key.
        Grant second = TestGrants.grant().refreshTokenHash(first.refreshTokenHash().orElseThrow()).build();

        StoreException e = catchThrowableOfType(StoreException.class, () -> healthy.grants().save(second));

        assertThat(e).isNotNull();
        assertThat(e.isUnavailable()).isFalse();
        assertThat(healthy.grants().findById(second.grantId())).isEmpty();
        assertThat(healthy.grants().findByRefreshToken(first.grantId(), first.refreshTokenHash().orElseThrow()))
                .contains(first);
    }

    @Test
    void whenRecordingTheRotatedTokenFailsThenTheRotationIsUndone() {
        Grant grant = TestGrants.grant().build();
        Grant other = TestGrants.grant().build();
        healthy.grants().save(grant);
        healthy.grants().save(other);
        String taken = other.refreshTokenHash().orElseThrow();

        StoreException e = catchThrowableOfType(StoreException.class, () -> healthy.grants().rotate(grant.grantId(),
                grant.refreshTokenHash().orElseThrow(), taken, MutableClock.START.plusSeconds(60)));

        assertThat(e).isNotNull();
        assertThat(healthy.grants().findById(grant.grantId())).contains(grant);
        assertThat(healthy.grants().rotate(grant.grantId(), grant.refreshTokenHash().orElseThrow(),
                TestGrants.newRefreshTokenHash(), MutableClock.START.plusSeconds(60))).isTrue();
    }

    @Test
    void whenAStatementRunsPastTheQueryTimeoutThenItIsCancelledAsUnavailable() throws SQLException {
        Grant grant = TestGrants.grant().build();
        healthy.grants().save(grant);
        Stores impatient = SCHEMA.builder(clock).queryTimeout(Duration.ofMillis(1000)).build().stores();

        try (Connection locker = SCHEMA.dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (PreparedStatement ps = locker.prepareStatement(
                    "SELECT 1 FROM " + SCHEMA.tables.grant + " WHERE grant_id = ? FOR UPDATE")) {
                ps.setString(1, grant.grantId());
                ps.executeQuery().close();
            }
            long start = System.nanoTime();

            StoreException e = catchThrowableOfType(StoreException.class, () -> impatient.grants().rotate(
                    grant.grantId(), grant.refreshTokenHash().orElseThrow(), TestGrants.newRefreshTokenHash(),
                    MutableClock.START.plusSeconds(60)));

            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            locker.rollback();
            assertThat(e).isNotNull();
            assertThat(e.isUnavailable()).as(e.getMessage()).isTrue();
            assertThat(e).hasMessageStartingWith("rotate refresh token failed: store unavailable");
            assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        }
        assertThat(healthy.grants().findById(grant.grantId())).contains(grant);
    }

    @Test
    void whenTheDatabaseRejectsAValueThenTheFailureNamesNeitherTheValueNorAnyHash() {
        AuthorizationCode code = TestCodes.code().build();
        healthy.codes().save(code);

        StoreException duplicate = catchThrowableOfType(StoreException.class, () -> healthy.codes().save(code));

        assertThat(duplicate).isNotNull();
        assertThat(duplicate.isUnavailable()).isFalse();
        assertThat(duplicate).hasMessageContaining("save authorization code").hasMessageContaining("23505");
        assertThat(everythingPrinted(duplicate)).doesNotContain(code.codeHash());

        String secretish = "not json " + code.codeHash();
        RegisteredClient client = TestClients.confidentialClient().metadataJson(secretish).build();
        StoreException badJson = catchThrowableOfType(StoreException.class, () -> healthy.clients().save(client));
        assertThat(badJson).isNotNull();
        assertThat(badJson.isUnavailable()).isFalse();
        assertThat(everythingPrinted(badJson)).doesNotContain(code.codeHash())
                .doesNotContain(client.secretHash().orElseThrow());
    }

    @Test
    void whenThePoolHandsOutConnectionsWithoutAutoCommitThenWritesAreStillCommitted() {
        DataSource manual = wrapping((real) -> {
            real.setAutoCommit(false);
            return real;
        });
        Stores stores = storesOn(manual);
        Grant grant = TestGrants.grant().build();
        AuthorizationCode code = TestCodes.code().build();

        stores.grants().save(grant);
        stores.codes().save(code);
        assertThat(stores.codes().consume(code.codeHash())).isTrue();

        assertThat(healthy.grants().findById(grant.grantId())).contains(grant);
        assertThat(healthy.codes().find(code.codeHash())).contains(code.asConsumed());
    }

    @Test
    void whenOperationsEndThenConnectionsAreClosedInAutoCommitModeAsTheyCame() {
        java.util.List<Boolean> autoCommitAtClose = new java.util.concurrent.CopyOnWriteArrayList<>();
        DataSource recording = wrapping(real -> (Connection) Proxy.newProxyInstance(
                JdbcFaultTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        autoCommitAtClose.add(real.getAutoCommit());
                    }
                    return invoke(method, real, args);
                }));
        Stores stores = storesOn(recording);
        AuthorizationCode code = TestCodes.code().build();

        stores.codes().save(code);
        stores.codes().consume(code.codeHash());
        catchThrowableOfType(StoreException.class, () -> stores.codes().save(code));

        assertThat(autoCommitAtClose).hasSize(3).containsOnly(true);
    }

    @Test
    void whenSqlStatesAreClassifiedThenOutagesAreUnavailableAndTheRestFailures() {
        for (String state : new String[] {"08001", "08006", "57014", "57P01", "53300", "40001", "40P01", "55P03"}) {
            assertThat(Jdbc.isUnavailable(new SQLException("x", state))).as(state).isTrue();
        }
        for (String state : new String[] {"23505", "22P02", "42P01", "42703", "XX000"}) {
            assertThat(Jdbc.isUnavailable(new SQLException("x", state))).as(state).isFalse();
        }
        assertThat(Jdbc.isUnavailable(new java.sql.SQLTimeoutException("x"))).isTrue();
        assertThat(Jdbc.isUnavailable(new java.sql.SQLTransientConnectionException("x"))).isTrue();
    }

    // ---- data sources with faults --------------------------------------------------------------------------

    @FunctionalInterface
    private interface ConnectionTweak {
        Connection apply(Connection real) throws SQLException;
    }

    private static DataSource wrapping(ConnectionTweak tweak) {
        DataSource real = SCHEMA.dataSource;
        return (DataSource) Proxy.newProxyInstance(JdbcFaultTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return tweak.apply(real.getConnection());
                    }
                    return invoke(method, real, args);
                });
    }

    /** Connections whose server process is terminated just before the {@code n}-th statement is prepared. */
    private static DataSource killingBackendBeforeStatement(int n) {
        return wrapping(real -> {
            int pid;
            try (PreparedStatement ps = real.prepareStatement("SELECT pg_backend_pid()");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                pid = rs.getInt(1);
            }
            AtomicInteger prepared = new AtomicInteger();
            return (Connection) Proxy.newProxyInstance(JdbcFaultTest.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement") && prepared.incrementAndGet() == n) {
                            terminate(pid);
                        }
                        return invoke(method, real, args);
                    });
        });
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection admin = TestPostgres.dataSource().getConnection();
                PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
            ps.setInt(1, pid);
            ps.executeQuery().close();
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
