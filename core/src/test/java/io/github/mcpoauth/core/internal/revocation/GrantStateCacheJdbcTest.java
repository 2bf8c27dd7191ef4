package io.github.mcpoauth.core.internal.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.StatementCountingDataSource;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The grant-state cache on the JDBC stores of the embedded PostgreSQL, with several "nodes" (each its own
 * {@link JdbcStores} and cache) on one database: no statement for a known grant, a local revocation seen at once,
 * another node's within the staleness bound (measured), and a feed that cannot read makes every check go to the
 * store, so a revoked grant is never accepted.
 */
@Timeout(120)
class GrantStateCacheJdbcTest {

    private static final DataSource DATABASE = EmbeddedPostgresDatabase.newMigratedDataSource();
    private static final Predicate<Thread> FEED_THREAD = t -> t.getName().equals("mcp-oauth-revocation-feed");

    private final MutableClock clock = MutableClock.atStart();
    private final List<GrantStateCache> caches = new ArrayList<>();

    @AfterEach
    void closeCaches() {
        caches.forEach(GrantStateCache::close);
    }

    /** A ticker that moves only when the test says so. */
    private static final class ManualTicker implements Ticker {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    private record Node(StatementCountingDataSource db, Stores stores, GrantStateCache cache) {
    }

    private Node node(Ticker ticker) {
        StatementCountingDataSource db = StatementCountingDataSource.over(DATABASE,
                StatementCountingDataSource.NOT_BACKGROUND);
        Stores stores = JdbcStores.create(db.dataSource(), clock);
        GrantStateCache cache = GrantStateCache.forStore(stores.grants(), clock, ticker);
        caches.add(cache);
        return new Node(db, stores, cache);
    }

    private Grant savedGrant(Node node) {
        Grant grant = TestGrants.grant().build();
        node.stores().grants().save(grant);
        return grant;
    }

    private static AccessTokenPrincipal tokenOf(Grant grant) {
        return new AccessTokenPrincipal(grant.subject(), grant.clientId().getValue(), grant.scopes(),
                List.of("https://mcp.example.com/mcp"), URI.create("https://as.example.com"),
                MutableClock.START.plus(Duration.ofMinutes(5)), Optional.empty(), Optional.empty(),
                Optional.of(grant.grantId()));
    }

    @Test
    void whenAKnownGrantIsCheckedAHundredTimesThenNoStatementRuns() {
        Node node = node(new ManualTicker());
        Grant grant = savedGrant(node);
        node.cache().feed().poll(); // the feed knows its place in the log
        assertThat(node.cache().isActive(tokenOf(grant))).isTrue(); // first sight: one read
        node.db().reset();

        for (int i = 0; i < 100; i++) {
            assertThat(node.cache().isActive(tokenOf(grant))).isTrue();
        }

        assertThat(node.db().statements()).as("statements for 100 checks of a known grant").isZero();
    }

    @Test
    void whenAGrantIsFirstSeenThenItIsReadOnceAndCachedOnlyOnceTheFeedKnowsItsPlace() {
        Node node = node(new ManualTicker());
        node.db().refuse(FEED_THREAD); // only the test's own polls reach the log
        Grant grant = savedGrant(node);
        node.db().reset();

        assertThat(node.cache().isActive(tokenOf(grant))).isTrue();
        assertThat(node.cache().isActive(tokenOf(grant))).isTrue();
        assertThat(node.db().statements()).as("no feed yet: a store read per check").isEqualTo(2);
        node.cache().feed().poll();
        node.db().reset();
        node.cache().isActive(tokenOf(grant));
        node.cache().isActive(tokenOf(grant));

        assertThat(node.db().statements()).as("read once, then from memory").isEqualTo(1);
    }

    @Test
    void whenTheGrantIsRevokedOnThisNodeThenTheNextCheckRefusesItWithoutWaitingForTheFeed() {
        ManualTicker ticker = new ManualTicker();
        Node a = node(ticker);
        Node b = node(ticker);
        a.db().refuse(FEED_THREAD);
        b.db().refuse(FEED_THREAD); // neither feed thread can deliver: what A sees comes from its own revoke
        Grant grant = savedGrant(a);
        a.cache().feed().poll();
        b.cache().feed().poll();
        assertThat(a.cache().isActive(tokenOf(grant))).isTrue();
        assertThat(b.cache().isActive(tokenOf(grant))).isTrue();

        a.stores().grants().revoke(grant.grantId());

        assertThat(a.cache().isActive(tokenOf(grant))).as("on the revoking node, at once").isFalse();
        assertThat(b.cache().isActive(tokenOf(grant))).as("elsewhere, until the feed is read").isTrue();
        b.cache().feed().poll();
        assertThat(b.cache().isActive(tokenOf(grant))).as("elsewhere, once the feed is read").isFalse();
    }

    @Test
    void whenTheGrantIsRevokedOnAnotherNodeThenThisNodeRefusesItWithinOneSecond() throws Exception {
        Node a = node(Ticker.systemTicker());
        Node b = node(Ticker.systemTicker());
        Grant grant = savedGrant(a);
        AccessTokenPrincipal token = tokenOf(grant);
        assertThat(b.cache().isActive(token)).isTrue(); // starts B's feed
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (b.cache().cachedGrants() == 0 && System.nanoTime() < deadline) {
            assertThat(b.cache().isActive(token)).isTrue(); // cached once B's feed has read the log
            Thread.sleep(10);
        }
        assertThat(b.cache().cachedGrants()).as("B caches the grant").isEqualTo(1);

        a.stores().grants().revoke(grant.grantId());
        long revoked = System.nanoTime();

        long lastAcceptedStart = revoked;
        long firstRefusedStart = -1;
        while (System.nanoTime() < revoked + Duration.ofSeconds(30).toNanos()) {
            long start = System.nanoTime();
            if (!b.cache().isActive(token)) {
                firstRefusedStart = start;
                break;
            }
            lastAcceptedStart = start;
            Thread.sleep(5);
        }

        assertThat(firstRefusedStart).as("B refuses the revoked grant").isPositive();
        Duration delay = Duration.ofNanos(firstRefusedStart - revoked);
        Duration acceptedAfter = Duration.ofNanos(lastAcceptedStart - revoked);
        System.out.printf("revocation on node A refused on node B after %d ms (last acceptance began %d ms after"
                + " the revocation)%n", delay.toMillis(), acceptedAfter.toMillis());
        // The bound as a property a descheduled test thread cannot fake: no check that began later than the bound
        // after the revocation accepted the grant (the refusing check is the first one begun after the last
        // acceptance).
        assertThat(acceptedAfter).isLessThanOrEqualTo(RevocationFeed.STALENESS_BOUND);
    }

    @Test
    void whenTheFeedCannotReadTheLogThenChecksGoToTheStoreAndARevokedGrantIsNeverAccepted() {
        ManualTicker ticker = new ManualTicker();
        Node a = node(ticker);
        Node b = node(ticker);
        b.db().refuse(FEED_THREAD);
        Grant grant = savedGrant(a);
        Grant other = savedGrant(a);
        b.cache().feed().poll();
        assertThat(b.cache().isActive(tokenOf(grant))).isTrue();
        assertThat(b.cache().isActive(tokenOf(other))).isTrue();

        b.db().refuse(t -> true); // B's database goes away
        a.stores().grants().revoke(grant.grantId());
        b.cache().feed().poll(); // fails quietly
        ticker.advance(RevocationFeed.STALENESS_BOUND.plusMillis(1));

        StoreException down = catchThrowableOfType(StoreException.class, () -> b.cache().isActive(tokenOf(grant)));
        assertThat(down).as("a stale feed and no store: the check fails (503), it does not answer").isNotNull();
        assertThat(down.isUnavailable()).isTrue();
        assertThat(catchThrowableOfType(StoreException.class, () -> b.cache().isActive(tokenOf(other))))
                .as("not even for a grant that is still live").isNotNull();

        b.db().refuse(FEED_THREAD); // the database is back; the feed has not run yet
        b.db().reset();
        assertThat(b.cache().isActive(tokenOf(grant))).as("read from the store: revoked").isFalse();
        assertThat(b.cache().isActive(tokenOf(other))).isTrue();
        assertThat(b.db().statements()).isEqualTo(2);

        b.cache().feed().poll(); // recovers without a restart (and delivers A's revocation)
        assertThat(b.cache().isActive(tokenOf(grant))).isFalse();
        b.db().reset();
        assertThat(b.cache().isActive(tokenOf(grant))).isFalse();
        assertThat(b.cache().isActive(tokenOf(other))).isTrue();
        assertThat(b.db().statements()).as("answered from memory again").isZero();
    }

    @Test
    void whenTheFeedResumesAfterALongGapThenTheCacheForgetsEverything() {
        ManualTicker ticker = new ManualTicker();
        Node node = node(ticker);
        node.db().refuse(FEED_THREAD);
        Grant grant = savedGrant(node);
        node.cache().feed().poll();
        node.cache().isActive(tokenOf(grant));
        assertThat(node.cache().cachedGrants()).isEqualTo(1);

        ticker.advance(RevocationFeed.FORGET_AFTER.plusSeconds(1));
        node.cache().feed().poll();

        assertThat(node.cache().cachedGrants()).isZero();
    }

    @Test
    void whenTheCacheIsClosedThenTheFeedThreadStopsAndEveryCheckReadsTheStore() {
        Node node = node(new ManualTicker());
        Grant grant = savedGrant(node);
        node.cache().isActive(tokenOf(grant));
        node.cache().feed().poll();
        node.cache().isActive(tokenOf(grant));
        assertThat(node.cache().feedRunning()).isTrue();

        node.cache().close();
        node.db().reset();

        assertThat(node.cache().feedRunning()).isFalse();
        assertThat(node.cache().isActive(tokenOf(grant))).isTrue();
        node.stores().grants().revoke(grant.grantId()); // no local listener any more
        assertThat(node.cache().isActive(tokenOf(grant))).isFalse();
        assertThat(node.db().statements()).as("two checks, two reads, plus the revocation's two").isEqualTo(4);
    }
}
