package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.internal.revocation.RevocationLog;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The revocation log (schema V5) that every node's revocation feed reads. */
class JdbcRevocationLogTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    private final MutableClock clock = MutableClock.atStart();
    private JdbcStores jdbc;
    private Stores stores;
    private RevocationLog log;

    @BeforeEach
    void setUp() {
        SCHEMA.truncate();
        jdbc = SCHEMA.builder(clock).build();
        stores = jdbc.stores();
        log = ((RevocationLog.Source) stores.grants()).revocationLog();
    }

    private Grant saved() {
        Grant grant = TestGrants.grant().build();
        stores.grants().save(grant);
        return grant;
    }

    @Test
    void whenAGrantIsRevokedThenOneEntryIsLoggedWithItAndRevokingAgainLogsNothing() {
        Grant grant = saved();
        long before = log.newest();

        stores.grants().revoke(grant.grantId());
        stores.grants().revoke(grant.grantId());
        stores.grants().revoke("no-such-grant");

        List<RevocationLog.Entry> entries = log.after(before, 10);
        assertThat(entries).extracting(RevocationLog.Entry::grantId).containsExactly(grant.grantId());
        assertThat(log.newest()).isEqualTo(entries.get(0).seq());
        assertThat(stores.grants().findById(grant.grantId()).orElseThrow().revoked()).isTrue();
    }

    @Test
    void whenManyGrantsAreRevokedAtOnceThenEachIsLoggedOnceAndReadInOrderInBatches() throws Exception {
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            grants.add(saved());
        }
        long before = log.newest();

        Concurrently.run(8, Duration.ofSeconds(60), i -> {
            for (int k = i; k < grants.size(); k += 8) {
                stores.grants().revoke(grants.get(k).grantId());
            }
            return null;
        });

        List<RevocationLog.Entry> read = new ArrayList<>();
        long cursor = before;
        List<RevocationLog.Entry> batch;
        do {
            batch = log.after(cursor, 7);
            read.addAll(batch);
            cursor = batch.isEmpty() ? cursor : batch.get(batch.size() - 1).seq();
        } while (batch.size() == 7);
        assertThat(read).extracting(RevocationLog.Entry::grantId)
                .containsExactlyInAnyOrderElementsOf(grants.stream().map(Grant::grantId).toList());
        assertThat(read).extracting(RevocationLog.Entry::seq).isSorted();
    }

    @Test
    void whenRevokedThroughThisStoreThenLocalListenersHearOfItUntilTheyUnsubscribe() {
        Grant first = saved();
        Grant second = saved();
        List<String> heard = new CopyOnWriteArrayList<>();
        RevocationLog.Subscription subscription = log.onLocalRevocation(heard::add);

        stores.grants().revoke(first.grantId());
        subscription.close();
        stores.grants().revoke(second.grantId());

        assertThat(heard).containsExactly(first.grantId());
    }

    @Test
    void whenAnotherNodeRevokesThenThisNodesListenersHearNothingButTheLogHasIt() {
        Grant grant = saved();
        List<String> heard = new CopyOnWriteArrayList<>();
        log.onLocalRevocation(heard::add);
        long before = log.newest();

        SCHEMA.stores(clock).grants().revoke(grant.grantId());

        assertThat(heard).isEmpty();
        assertThat(log.after(before, 10)).extracting(RevocationLog.Entry::grantId).containsExactly(grant.grantId());
    }

    @Test
    void whenCleanupRunsThenEntriesOlderThanTheRetentionAreTrimmedAndNewerKept() {
        Grant old = saved();
        stores.grants().revoke(old.grantId());
        clock.advance(JdbcRevocationLog.RETENTION.plusMinutes(1));
        Grant recent = saved();
        stores.grants().revoke(recent.grantId());

        jdbc.cleanup().run();

        assertThat(log.after(0, 10)).extracting(RevocationLog.Entry::grantId).containsExactly(recent.grantId());
    }
}
