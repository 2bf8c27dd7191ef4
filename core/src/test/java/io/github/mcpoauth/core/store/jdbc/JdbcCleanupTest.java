package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.StoreCleanup;
import io.github.mcpoauth.core.store.StoreCleanup.Result;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestClients;
import io.github.mcpoauth.core.store.testkit.TestCodes;
import io.github.mcpoauth.core.store.testkit.TestConsents;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import io.github.mcpoauth.core.store.testkit.TestSigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcCleanupTest {

    private static final TestSchema SCHEMA = TestSchema.create();
    private static final Duration IDLE = Duration.ofDays(30);

    private final MutableClock clock = MutableClock.at(MutableClock.START);
    private JdbcStores jdbc;
    private Stores stores;

    @BeforeEach
    void setUp() {
        SCHEMA.truncate();
        jdbc = SCHEMA.builder(clock).build();
        stores = jdbc.stores();
    }

    private Instant at(Duration sinceStart) {
        return MutableClock.START.plus(sinceStart);
    }

    private StoreCleanup cleanupOfEveryIdleClient() {
        return jdbc.cleanup(IDLE, client -> true);
    }

    @Test
    void whenRunThenWhatExpiredIsPurgedAndTheRestKept() {
        AuthorizationCode expiredCode = TestCodes.code().expiresAt(at(Duration.ofMinutes(1))).build();
        AuthorizationCode consumedLiveCode = TestCodes.code().expiresAt(at(Duration.ofHours(3))).build();
        AuthorizationCode liveCode = TestCodes.code().expiresAt(at(Duration.ofHours(3))).build();
        List.of(expiredCode, consumedLiveCode, liveCode).forEach(stores.codes()::save);
        stores.codes().consume(consumedLiveCode.codeHash());

        Grant expired = TestGrants.grant().expiresAt(at(Duration.ofHours(1))).build();
        stores.grants().save(expired);
        String h1 = TestGrants.newRefreshTokenHash();
        stores.grants().rotate(expired.grantId(), expired.refreshTokenHash().orElseThrow(), h1,
                at(Duration.ofHours(1)));
        stores.grants().rotate(expired.grantId(), h1, TestGrants.newRefreshTokenHash(), at(Duration.ofHours(1)));
        Grant live = TestGrants.grant().build();
        stores.grants().save(live);
        stores.grants().rotate(live.grantId(), live.refreshTokenHash().orElseThrow(), TestGrants.newRefreshTokenHash(),
                at(Duration.ofDays(30)));

        SigningKey expiredKey = TestSigningKeys.key().createdAt(at(Duration.ofDays(-10)))
                .activatesAt(at(Duration.ofDays(-10))).retiresAt(MutableClock.START).expiresAt(at(Duration.ofHours(1)))
                .build();
        SigningKey liveKey = TestSigningKeys.key().build();
        stores.keys().save(expiredKey);
        stores.keys().save(liveKey);

        clock.set(at(Duration.ofHours(2)));
        Result result = jdbc.cleanup().run();

        assertThat(result).isEqualTo(new Result(1, 1, 3, 1, 0, 0));
        assertThat(SCHEMA.count(SCHEMA.tables.code)).isEqualTo(2);
        assertThat(SCHEMA.count(SCHEMA.tables.grant)).isEqualTo(1);
        assertThat(SCHEMA.count(SCHEMA.tables.refreshToken)).isEqualTo(2);
        assertThat(stores.codes().find(consumedLiveCode.codeHash())).contains(consumedLiveCode.asConsumed());
        assertThat(stores.codes().find(liveCode.codeHash())).contains(liveCode);
        assertThat(stores.grants().findByRefreshToken(live.grantId(), live.refreshTokenHash().orElseThrow()))
                .isPresent();
        assertThat(stores.keys().findAll()).containsExactly(liveKey);
    }

    @Test
    void whenRunAgainThenNothingMoreIsRemoved() {
        stores.codes().save(TestCodes.code().build());
        stores.grants().save(TestGrants.grant().expiresAt(at(Duration.ofMinutes(5))).build());
        clock.set(at(Duration.ofHours(1)));
        jdbc.cleanup().run();

        assertThat(jdbc.cleanup().run()).isEqualTo(Result.EMPTY);
    }

    @Test
    void whenMoreHasExpiredThanOneBatchThenEverythingExpiredIsPurged() {
        int codes = 2 * JdbcCleanup.BATCH + 5;
        int grants = JdbcCleanup.BATCH + 3;
        insertExpiredCodes(codes);
        insertExpiredGrants(grants);
        stores.codes().save(TestCodes.code().expiresAt(at(Duration.ofDays(1))).build());
        clock.set(at(Duration.ofHours(1)));

        Result result = jdbc.cleanup().run();

        assertThat(result).isEqualTo(new Result(codes, grants, 2 * grants, 0, 0, 0));
        assertThat(SCHEMA.count(SCHEMA.tables.code)).isEqualTo(1);
        assertThat(SCHEMA.count(SCHEMA.tables.refreshToken)).isZero();
    }

    @Test
    void whenTwoNodesCleanUpAtOnceThenEveryRowIsRemovedExactlyOnce() {
        int codes = 3 * JdbcCleanup.BATCH;
        int grants = 2 * JdbcCleanup.BATCH;
        insertExpiredCodes(codes);
        insertExpiredGrants(grants);
        clock.set(at(Duration.ofHours(1)));

        List<Result> results = Concurrently.run(2, Duration.ofSeconds(60),
                i -> SCHEMA.builder(clock).build().cleanup().run());

        assertThat(results.stream().mapToInt(Result::codes).sum()).isEqualTo(codes);
        assertThat(results.stream().mapToInt(Result::grants).sum()).isEqualTo(grants);
        assertThat(results.stream().mapToInt(Result::refreshTokens).sum()).isEqualTo(2 * grants);
        assertThat(SCHEMA.count(SCHEMA.tables.code)).isZero();
        assertThat(SCHEMA.count(SCHEMA.tables.grant)).isZero();
    }

    @Test
    void whenNodesPurgeGrantsOfSharedClientsAtOnceThenNoneFailsAndEachClientNotesItsLastGrant() {
        int clients = 50;
        int grants = 4 * JdbcCleanup.BATCH;
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.client + " (client_id, authentication_method, redirect_uris,"
                + " grant_types, scopes, metadata_json, issued_at) SELECT 'shared-' || i, 'none',"
                + " '{http://127.0.0.1/cb}', '{authorization_code}', '{}', '{}', ? FROM generate_series(1, ?) i",
                Jdbc.timestamp(MutableClock.START), clients);
        // Grants of every client in every batch, in an order unrelated to the client ids, each with its own expiry.
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.grant + " (grant_id, client_id, subject, scopes, resources,"
                + " created_at, refresh_token_hash, expires_at) SELECT 'g-' || i, 'shared-' || (1 + (i * 7919) % ?),"
                + " 's', '{}', '{}', ?, 'h-' || i, ? + i * interval '1 second' FROM generate_series(1, ?) i",
                clients, Jdbc.timestamp(MutableClock.START), Jdbc.timestamp(at(Duration.ofMinutes(1))), grants);
        clock.set(at(Duration.ofDays(1)));

        List<Result> results = Concurrently.run(4, Duration.ofSeconds(60),
                i -> SCHEMA.builder(clock).build().cleanup().run());

        assertThat(results.stream().mapToInt(Result::grants).sum()).isEqualTo(grants);
        assertThat(SCHEMA.count(SCHEMA.tables.grant)).isZero();
        assertThat(SCHEMA.queryLong("SELECT count(*) FROM " + SCHEMA.tables.client + " WHERE last_active_at"
                + " IS NULL")).isZero();
        // The latest grant overall (i = grants) belongs to client 1 + (grants * 7919) % clients.
        assertThat(SCHEMA.queryLong("SELECT count(*) FROM " + SCHEMA.tables.client + " WHERE client_id = ?"
                + " AND last_active_at = ?", "shared-" + (1 + (grants * 7919L) % clients),
                Jdbc.timestamp(at(Duration.ofMinutes(1)).plusSeconds(grants)))).isEqualTo(1);
    }

    @Test
    void whenAClientHadNoGrantForLongerThanTheLimitThenItIsDeletedWithItsConsents() {
        RegisteredClient idle = TestClients.publicClient().build();
        RegisteredClient fresh = TestClients.publicClient().issuedAt(at(IDLE)).build();
        stores.clients().save(idle);
        stores.clients().save(fresh);
        stores.consents().save(TestConsents.consent().clientId(idle.clientId()).build());
        stores.consents().save(TestConsents.consent().clientId(idle.clientId()).build());
        stores.consents().save(TestConsents.consent().clientId(fresh.clientId()).build());
        clock.set(at(IDLE.plusDays(1)));

        Result result = cleanupOfEveryIdleClient().run();

        assertThat(result).isEqualTo(new Result(0, 0, 0, 0, 1, 2));
        assertThat(stores.clients().findById(idle.clientId())).isEmpty();
        assertThat(stores.clients().findById(fresh.clientId())).contains(fresh);
        assertThat(SCHEMA.count(SCHEMA.tables.consent)).isEqualTo(1);
    }

    @Test
    void whenAClientHasALiveGrantThenItIsKept() {
        RegisteredClient client = TestClients.publicClient().build();
        stores.clients().save(client);
        stores.grants().save(TestGrants.grant().clientId(client.clientId().getValue())
                .expiresAt(at(Duration.ofDays(90))).build());
        clock.set(at(Duration.ofDays(60)));

        assertThat(cleanupOfEveryIdleClient().run().clients()).isZero();
        assertThat(stores.clients().findById(client.clientId())).isPresent();
    }

    @Test
    void whenAClientsLastGrantEndedRecentlyThenItIsKeptUntilTheLimitHasPassed() {
        RegisteredClient client = TestClients.publicClient().build();
        stores.clients().save(client);
        stores.grants().save(TestGrants.grant().clientId(client.clientId().getValue())
                .expiresAt(at(Duration.ofDays(20))).build());

        clock.set(at(Duration.ofDays(35)));
        Result first = cleanupOfEveryIdleClient().run();
        // The grant is gone, but the client was active 15 days ago.
        assertThat(first.grants()).isEqualTo(1);
        assertThat(first.clients()).isZero();
        assertThat(stores.clients().findById(client.clientId())).isPresent();

        clock.set(at(Duration.ofDays(20).plus(IDLE).plusSeconds(1)));
        assertThat(cleanupOfEveryIdleClient().run().clients()).isEqualTo(1);
        assertThat(stores.clients().findById(client.clientId())).isEmpty();
    }

    @Test
    void whenThePredicateRejectsOrThrowsThenTheClientIsKept() {
        RegisteredClient configured = TestClients.confidentialClient().clientId("configured-by-host").build();
        RegisteredClient odd = TestClients.publicClient().clientId("makes-the-predicate-throw").build();
        RegisteredClient registered = TestClients.publicClient().build();
        List.of(configured, odd, registered).forEach(stores.clients()::save);
        clock.set(at(IDLE.plusDays(1)));

        Result result = jdbc.cleanup(IDLE, client -> {
            if (client.clientId().equals(odd.clientId())) {
                throw new IllegalStateException("host bug");
            }
            return !client.clientId().equals(configured.clientId());
        }).run();

        assertThat(result.clients()).isEqualTo(1);
        assertThat(stores.clients().findById(configured.clientId())).isPresent();
        assertThat(stores.clients().findById(odd.clientId())).isPresent();
        assertThat(stores.clients().findById(registered.clientId())).isEmpty();
    }

    @Test
    void whenNoClientPolicyIsGivenThenIdleClientsAreKept() {
        RegisteredClient client = TestClients.publicClient().build();
        stores.clients().save(client);
        clock.set(at(Duration.ofDays(365)));

        assertThat(jdbc.cleanup().run().clients()).isZero();
        assertThat(stores.clients().findById(client.clientId())).isPresent();
    }

    @Test
    void whenManyIdleClientsThenEveryBatchIsVisited() {
        int clients = JdbcCleanup.BATCH + 10;
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.client + " (client_id, authentication_method, redirect_uris,"
                + " grant_types, scopes, metadata_json, issued_at) SELECT 'bulk-' || lpad(i::text, 6, '0'), 'none',"
                + " '{http://127.0.0.1/cb}', '{authorization_code}', '{}', '{}', ? FROM generate_series(1, ?) i",
                Jdbc.timestamp(MutableClock.START), clients);
        clock.set(at(IDLE.plusDays(1)));

        // Keep some clients in every batch: the second batch must still be reached past the kept ones.
        java.util.function.Predicate<RegisteredClient> deletable = c -> c.clientId().getValue().hashCode() % 3 != 0;
        long expected = java.util.stream.IntStream.rangeClosed(1, clients)
                .mapToObj(i -> TestClients.publicClient().clientId(String.format("bulk-%06d", i)).build())
                .filter(deletable).count();

        Result result = jdbc.cleanup(IDLE, deletable).run();

        assertThat(result.clients()).isEqualTo(expected).isLessThan(clients);
        assertThat(SCHEMA.count(SCHEMA.tables.client)).isEqualTo(clients - expected);
        assertThat(SCHEMA.queryLong("SELECT count(*) FROM " + SCHEMA.tables.client
                + " WHERE client_id > 'bulk-001000'")).isLessThan(10);
        assertThat(jdbc.cleanup(IDLE, deletable).run().clients()).isZero();
    }

    private void insertExpiredCodes(int count) {
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.code + " (code_hash, client_id, subject, scopes, resources,"
                + " code_challenge, grant_id, issued_at, expires_at) SELECT 'bulk-' || i, 'c', 's', '{}', '{}', 'x',"
                + " 'g' || i, ?, ? FROM generate_series(1, ?) i",
                Jdbc.timestamp(MutableClock.START), Jdbc.timestamp(at(Duration.ofMinutes(1))), count);
    }

    /** Expired grants with two refresh token hashes each. */
    private void insertExpiredGrants(int count) {
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.grant + " (grant_id, client_id, subject, scopes, resources,"
                + " created_at, refresh_token_hash, expires_at) SELECT 'bulk-' || i, 'c', 's', '{}', '{}', ?,"
                + " 'h-' || i || '-b', ? FROM generate_series(1, ?) i",
                Jdbc.timestamp(MutableClock.START), Jdbc.timestamp(at(Duration.ofMinutes(30))), count);
        SCHEMA.update("INSERT INTO " + SCHEMA.tables.refreshToken + " (token_hash, grant_id, issued_at)"
                + " SELECT 'h-' || i || '-' || v, 'bulk-' || i, ? FROM generate_series(1, ?) i,"
                + " (VALUES ('a'), ('b')) AS t(v)", Jdbc.timestamp(MutableClock.START), count);
    }
}
