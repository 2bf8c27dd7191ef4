package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.RecordingAuditListener;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #1 at a small configured cap: the in-memory grant store never drops a live grant to make room. Full, it
 * refuses (503-class, audited); per user and client, a new grant replaces only that user's own oldest (audited).
 */
class MemoryGrantCapTest {

    private final MutableClock clock = MutableClock.atStart();
    private final RecordingAuditListener audit = new RecordingAuditListener();

    private InMemoryStores stores(int max, int perUserAndClient) {
        return InMemoryStores.newBuilder(clock).maxGrants(max).maxGrantsPerUserAndClient(perUserAndClient)
                .auditListener(audit).build();
    }

    private static void assertAllLive(GrantStore store, List<Grant> grants) {
        for (Grant g : grants) {
            assertThat(store.findById(g.grantId())).as(g.grantId()).contains(g);
            assertThat(store.findByRefreshToken(g.grantId(), g.refreshTokenHash().orElseThrow())).as(g.grantId())
                    .contains(g);
        }
    }

    @Test
    void whenFullThenNewGrantRefusedAsUnavailableAuditedAndNoLiveGrantDropped() {
        InMemoryStores memory = stores(5, 100);
        GrantStore store = memory.stores().grants();
        List<Grant> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Grant g = TestGrants.grant().subject("user-" + i).build();
            store.save(g);
            held.add(g);
        }
        Grant extra = TestGrants.grant().subject("user-5").build();

        assertThatThrownBy(() -> store.save(extra)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.isUnavailable()).isTrue());

        assertThat(store.findById(extra.grantId())).isEmpty();
        assertAllLive(store, held);
        assertThat(memory.grantCount()).isEqualTo(5);
        assertThat(audit.events(AuditEvent.Type.GRANT_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.grantId()).contains(extra.grantId()));
        assertThat(audit.events(AuditEvent.Type.GRANT_REPLACED)).isEmpty();
    }

    @Test
    void whenOneUserLogsInPastTheirCapThenOnlyTheirOwnOldestGrantsAreReplaced() {
        InMemoryStores memory = stores(10, 3);
        GrantStore store = memory.stores().grants();
        List<Grant> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Grant g = TestGrants.grant().subject("other-" + i).clientId("shared-client").build();
            store.save(g);
            others.add(g);
        }
        List<Grant> alice = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Grant g = TestGrants.grant().subject("alice").clientId("shared-client")
                    .createdAt(clock.instant().plusSeconds(i)).build();
            store.save(g);
            alice.add(g);
        }

        assertAllLive(store, others);
        assertAllLive(store, alice.subList(9, 12));
        alice.subList(0, 9).forEach(g -> assertThat(store.findById(g.grantId())).isEmpty());
        assertThat(memory.grantCount()).isEqualTo(8);
        assertThat(audit.events(AuditEvent.Type.GRANT_REPLACED)).hasSize(9)
                .allSatisfy(e -> assertThat(e.subject()).contains("alice"))
                .extracting(e -> e.grantId().orElseThrow())
                .containsExactlyElementsOf(alice.subList(0, 9).stream().map(Grant::grantId).toList());
        assertThat(audit.events(AuditEvent.Type.GRANT_REFUSED)).isEmpty();
    }

    @Test
    void whenSameUserWithAnotherClientThenTheirGrantsAreCappedSeparately() {
        GrantStore store = stores(10, 1).stores().grants();
        Grant first = TestGrants.grant().subject("alice").clientId("client-a").build();
        Grant second = TestGrants.grant().subject("alice").clientId("client-b").build();

        store.save(first);
        store.save(second);

        assertAllLive(store, List.of(first, second));
    }

    @Test
    void whenAUsersGrantExpiresAmongLiveOnesAtTheirCapThenNoLiveGrantIsReplaced() {
        InMemoryStores memory = stores(10, 3);
        GrantStore store = memory.stores().grants();
        Instant later = clock.instant().plus(Duration.ofDays(2));
        Grant oldest = TestGrants.grant().subject("alice").clientId("c").expiresAt(later).build();
        Grant shortLived = TestGrants.grant().subject("alice").clientId("c")
                .expiresAt(clock.instant().plus(Duration.ofHours(1))).build();
        Grant third = TestGrants.grant().subject("alice").clientId("c").expiresAt(later).build();
        store.save(oldest);
        store.save(shortLived);
        store.save(third);
        clock.advance(Duration.ofHours(2));

        Grant fourth = TestGrants.grant().subject("alice").clientId("c").expiresAt(later).build();
        store.save(fourth);

        assertAllLive(store, List.of(oldest, third, fourth));
        assertThat(audit.events(AuditEvent.Type.GRANT_REPLACED)).isEmpty();
    }

    @Test
    void whenGrantsExpireThenTheirRoomIsFreeAgain() {
        InMemoryStores memory = stores(2, 100);
        GrantStore store = memory.stores().grants();
        store.save(TestGrants.grant().subject("a").expiresAt(clock.instant().plus(Duration.ofHours(1))).build());
        store.save(TestGrants.grant().subject("b").expiresAt(clock.instant().plus(Duration.ofHours(1))).build());
        Grant late = TestGrants.grant().subject("c").expiresAt(clock.instant().plus(Duration.ofDays(2))).build();
        assertThatThrownBy(() -> store.save(late)).isInstanceOf(StoreException.class);

        clock.advance(Duration.ofHours(2));
        store.save(late);

        assertThat(store.findById(late.grantId())).contains(late);
        assertThat(memory.grantCount()).isEqualTo(1);
    }

    @Test
    void whenCleanupRunsAfterExpiryThenExpiredGrantsAndIdleUsersAreForgotten() {
        InMemoryStores memory = stores(100, 100);
        GrantStore store = memory.stores().grants();
        store.save(TestGrants.grant().expiresAt(clock.instant().plus(Duration.ofHours(1))).build());
        store.save(TestGrants.grant().expiresAt(clock.instant().plus(Duration.ofHours(1))).build());

        clock.advance(Duration.ofHours(2));
        var result = memory.cleanup().run();

        assertThat(result.grants()).isEqualTo(2);
        assertThat(memory.grantCount()).isZero();
    }

    @Test
    void whenSavedTwiceThenRejectedEvenAtThePerUserCap() {
        GrantStore store = stores(10, 1).stores().grants();
        Grant g = TestGrants.grant().build();
        store.save(g);
        store.revoke(g.grantId());

        assertThatThrownBy(() -> store.save(g)).isInstanceOf(IllegalStateException.class);

        assertThat(store.findById(g.grantId()).orElseThrow().revoked()).isTrue();
    }
}
