package io.github.mcpoauth.core.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link GrantStore}: compare-and-set rotation under concurrency (exactly one winner), rotated-out
 * refresh tokens kept findable for reuse detection, revocation, expiry. Subclass it and return a store from
 * {@link #createStore}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2</a>
 */
public abstract class GrantStoreContract {

    /** The clock handed to the store; tests move it. */
    protected final MutableClock clock = MutableClock.at(MutableClock.START);

    /** The store under test, created before each test. */
    protected GrantStore store;

    /** A store to test, reading the time from {@code clock}. */
    protected abstract GrantStore createStore(Clock clock);

    /**
     * Whether the store stops returning a grant once its expiry has passed (as the bundled stores do). The SPI
     * allows keeping it; a store that does returns {@code false} and the expiry tests are skipped.
     */
    protected boolean dropsExpiredEntries() {
        return true;
    }

    /** How many threads race in the concurrency tests. */
    protected int threads() {
        return 32;
    }

    /** How long a concurrency test may take. */
    protected Duration concurrencyTimeout() {
        return Duration.ofSeconds(30);
    }

    @BeforeEach
    public void createStoreUnderTest() {
        store = createStore(clock);
    }

    private static String current(Grant grant) {
        return grant.refreshTokenHash().orElseThrow();
    }

    private Instant later(Duration d) {
        return clock.instant().plus(d);
    }


    /**
     * Whether the store records rotations ({@link GrantStore#rotationOf}), which the refresh-token reuse interval
     * needs; the bundled stores do. A store that returns {@code false} here never gets the interval's grace.
     */
    protected boolean recordsRotations() {
        return true;
    }

    /**
     * Whether the store finds a refresh token that names no grant by its hash alone, as the JDBC store does (tokens
     * issued before refresh tokens named their grant); the in-memory store never issued one and finds nothing.
     */
    protected boolean findsTokensThatNameNoGrant() {
        return false;
    }

    @Test
    public void whenSavedThenFoundByIdWithEveryField() {
        Grant grant = TestGrants.grant().scopes("a", "b", "c")
                .resources("https://z.example.com/mcp", "https://a.example.com/mcp")
                .createdAt(MutableClock.START.minusMillis(7)).build();

        store.save(grant);

        Grant found = store.findById(grant.grantId()).orElseThrow();
        assertThat(found).isEqualTo(grant);
        assertThat(found.resources()).containsExactly(URI.create("https://z.example.com/mcp"),
                URI.create("https://a.example.com/mcp"));
    }

    @Test
    public void whenSavedWithDpopBoundRefreshTokenThenTheThumbprintSurvivesRotationAndRevocation() {
        String jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
        Grant grant = TestGrants.grant().refreshTokenJkt(jkt).build();
        store.save(grant);
        assertThat(store.findById(grant.grantId()).orElseThrow()).isEqualTo(grant);
        assertThat(store.findByRefreshToken(grant.grantId(), current(grant)).orElseThrow().refreshTokenJkt())
                .contains(jkt);

        String next = TestGrants.newRefreshTokenHash();
        assertThat(store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)))).isTrue();
        assertThat(store.findByRefreshToken(grant.grantId(), next).orElseThrow().refreshTokenJkt()).contains(jkt);

        store.revoke(grant.grantId());
        assertThat(store.findById(grant.grantId()).orElseThrow().refreshTokenJkt()).contains(jkt);
        assertThat(store.findById(store.findById(grant.grantId()).orElseThrow().grantId())
                .orElseThrow().revoked()).isTrue();
    }

    @Test
    public void whenSavedThenFoundByItsRefreshToken() {
        Grant grant = TestGrants.grant().build();

        store.save(grant);

        assertThat(store.findByRefreshToken(grant.grantId(), current(grant))).contains(grant);
    }

    @Test
    public void whenSavedWithoutRefreshTokenThenFoundByIdOnly() {
        Grant grant = TestGrants.grant().noRefreshToken().build();

        store.save(grant);

        assertThat(store.findById(grant.grantId())).contains(grant);
        assertThat(store.findById(grant.grantId()).orElseThrow().refreshTokenHash()).isEmpty();
    }

    @Test
    public void whenUnknownThenEmpty() {
        assertThat(store.findById("no-such-grant-" + System.nanoTime())).isEmpty();
        assertThat(store.findByRefreshToken("no-such-grant-" + System.nanoTime(), TestGrants.newRefreshTokenHash()))
                .isEmpty();
        assertThat(store.findByRefreshToken(null, TestGrants.newRefreshTokenHash())).isEmpty();
    }

    @Test
    public void whenSavedAgainWithSameIdThenRejectedAndRevocationKept() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        store.revoke(grant.grantId());

        // Saving a grant twice must never bring a revoked family back.
        assertThatThrownBy(() -> store.save(grant)).isInstanceOf(RuntimeException.class);

        assertThat(store.findById(grant.grantId()).orElseThrow().revoked()).isTrue();
    }

    @Test
    public void whenRotatedThenCurrentHashAndExpiryReplaced() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        Instant newExpiry = later(Duration.ofDays(60));

        assertThat(store.rotate(grant.grantId(), current(grant), next, newExpiry)).isTrue();

        Grant rotated = store.findById(grant.grantId()).orElseThrow();
        assertThat(rotated).isEqualTo(grant.withRefreshToken(next, newExpiry));
        assertThat(store.findByRefreshToken(grant.grantId(), next)).contains(rotated);
    }

    @Test
    public void whenRotatedThenOldTokenStillFindsTheGrantForReuseDetection() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)));

        Grant found = store.findByRefreshToken(grant.grantId(), current(grant)).orElseThrow();

        assertThat(found.grantId()).isEqualTo(grant.grantId());
        assertThat(found.refreshTokenHash()).contains(next);
    }

    @Test
    public void whenRotatedWithStaleTokenThenFalseAndUnchanged() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)));
        Grant afterFirst = store.findById(grant.grantId()).orElseThrow();
        String loser = TestGrants.newRefreshTokenHash();

        assertThat(store.rotate(grant.grantId(), current(grant), loser, later(Duration.ofDays(90)))).isFalse();

        assertThat(store.findById(grant.grantId())).contains(afterFirst);
        assertThat(store.findByRefreshToken(grant.grantId(), loser)).isEmpty();
    }

    @Test
    public void whenRotatedWithAnotherGrantsTokenThenFalse() {
        Grant grant = TestGrants.grant().build();
        Grant other = TestGrants.grant().build();
        store.save(grant);
        store.save(other);

        assertThat(store.rotate(grant.grantId(), current(other), TestGrants.newRefreshTokenHash(),
                later(Duration.ofDays(1)))).isFalse();
        assertThat(store.findById(grant.grantId())).contains(grant);
    }

    @Test
    public void whenRotatingUnknownGrantThenFalse() {
        String next = TestGrants.newRefreshTokenHash();
        String unknown = "no-such-grant-" + System.nanoTime();

        assertThat(store.rotate(unknown, TestGrants.newRefreshTokenHash(), next, later(Duration.ofDays(1)))).isFalse();
        assertThat(store.findByRefreshToken(unknown, next)).isEmpty();
    }

    @Test
    public void whenRotatingGrantWithoutRefreshTokenThenFalse() {
        Grant grant = TestGrants.grant().noRefreshToken().build();
        store.save(grant);

        assertThat(store.rotate(grant.grantId(), TestGrants.newRefreshTokenHash(), TestGrants.newRefreshTokenHash(),
                later(Duration.ofDays(1)))).isFalse();
    }

    @Test
    public void whenRotatedRepeatedlyThenEveryPastTokenFindsTheGrantUntilItExpires() {
        Grant grant = TestGrants.grant().expiresAt(later(Duration.ofDays(1))).build();
        store.save(grant);
        List<String> hashes = new ArrayList<>(List.of(current(grant)));
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofHours(6));
            String next = TestGrants.newRefreshTokenHash();
            // Each rotation slides the expiry: the grant now outlives the expiry it had when older hashes were current.
            assertThat(store.rotate(grant.grantId(), hashes.get(hashes.size() - 1), next,
                    later(Duration.ofDays(1)))).isTrue();
            hashes.add(next);
        }
        Instant expiry = store.findById(grant.grantId()).orElseThrow().expiresAt();

        clock.set(expiry.minusMillis(1));

        for (String hash : hashes) {
            assertThat(store.findByRefreshToken(grant.grantId(), hash)).as("hash #%d", hashes.indexOf(hash))
                    .map(Grant::grantId).contains(grant.grantId());
        }
    }

    @Test
    public void whenRotatedThenGrantOutlivesItsFormerExpiry() {
        Grant grant = TestGrants.grant().expiresAt(later(Duration.ofHours(1))).build();
        store.save(grant);
        store.rotate(grant.grantId(), current(grant), TestGrants.newRefreshTokenHash(), later(Duration.ofDays(1)));

        clock.advance(Duration.ofHours(2));

        assertThat(store.findById(grant.grantId())).isPresent();
        assertThat(store.findByRefreshToken(grant.grantId(), current(grant))).isPresent();
    }

    @Test
    public void whenRevokedThenFoundAsRevokedByIdAndByRefreshToken() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);

        store.revoke(grant.grantId());

        assertThat(store.findById(grant.grantId())).contains(grant.asRevoked());
        assertThat(store.findByRefreshToken(grant.grantId(), current(grant))).contains(grant.asRevoked());
    }

    @Test
    public void whenRevokedThenRotationFails() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        store.revoke(grant.grantId());
        String next = TestGrants.newRefreshTokenHash();

        assertThat(store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(1)))).isFalse();

        assertThat(store.findById(grant.grantId())).contains(grant.asRevoked());
        assertThat(store.findByRefreshToken(grant.grantId(), next)).isEmpty();
    }

    @Test
    public void whenRevokedTwiceThenStillRevoked() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);

        store.revoke(grant.grantId());
        store.revoke(grant.grantId());

        assertThat(store.findById(grant.grantId())).contains(grant.asRevoked());
    }

    @Test
    public void whenRevokingUnknownGrantThenNothingHappens() {
        store.revoke("no-such-grant-" + System.nanoTime());
    }

    @Test
    public void whenOneGrantRevokedThenOthersUnaffected() {
        Grant revoked = TestGrants.grant().build();
        Grant other = TestGrants.grant().subject(revoked.subject()).clientId(revoked.clientId().getValue()).build();
        store.save(revoked);
        store.save(other);

        store.revoke(revoked.grantId());

        assertThat(store.findById(other.grantId())).contains(other);
    }

    @Test
    public void whenNotYetExpiredThenRotatable() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);

        clock.set(grant.expiresAt().minusMillis(1));

        assertThat(store.rotate(grant.grantId(), current(grant), TestGrants.newRefreshTokenHash(),
                later(Duration.ofDays(1)))).isTrue();
    }

    @Test
    public void whenExpiredThenNotFoundAndNotRotatable() {
        assumeTrue(dropsExpiredEntries(), "store keeps expired grants");
        Grant grant = TestGrants.grant().build();
        store.save(grant);

        clock.set(grant.expiresAt());

        assertThat(store.findById(grant.grantId())).isEmpty();
        assertThat(store.findByRefreshToken(grant.grantId(), current(grant))).isEmpty();
        assertThat(store.rotate(grant.grantId(), current(grant), TestGrants.newRefreshTokenHash(),
                later(Duration.ofDays(1)))).isFalse();
    }

    @Test
    public void whenRotatedThenExpiredThenNoPastTokenFindsIt() {
        assumeTrue(dropsExpiredEntries(), "store keeps expired grants");
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        Instant expiry = later(Duration.ofDays(2));
        store.rotate(grant.grantId(), current(grant), next, expiry);

        clock.set(expiry);

        assertThat(store.findByRefreshToken(grant.grantId(), current(grant))).isEmpty();
        assertThat(store.findByRefreshToken(grant.grantId(), next)).isEmpty();
    }

    @Test
    public void whenManyThreadsRotateOneTokenThenExactlyOneWins() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        List<String> candidates = IntStream.range(0, threads()).mapToObj(i -> TestGrants.newRefreshTokenHash())
                .toList();
        Instant newExpiry = later(Duration.ofDays(31));

        List<Boolean> results = Concurrently.run(threads(), concurrencyTimeout(),
                i -> store.rotate(grant.grantId(), current(grant), candidates.get(i), newExpiry));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        String winner = candidates.get(results.indexOf(true));
        assertThat(store.findById(grant.grantId())).contains(grant.withRefreshToken(winner, newExpiry));
        // The losers' tokens were never issued; the reused one still leads to the grant, so it can be revoked.
        for (int i = 0; i < candidates.size(); i++) {
            if (!results.get(i)) {
                assertThat(store.findByRefreshToken(grant.grantId(), candidates.get(i))).isEmpty();
            }
        }
        assertThat(store.findByRefreshToken(grant.grantId(), current(grant)).map(Grant::grantId))
                .contains(grant.grantId());
        assertThat(store.rotate(grant.grantId(), current(grant), TestGrants.newRefreshTokenHash(), newExpiry))
                .isFalse();
    }

    @Test
    public void whenThreadsRaceToRotateRepeatedlyThenSuccessesFormOneChain() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        int attempts = 5;

        // Each thread reads the current token and tries to rotate it, a few times: every success must extend the
        // chain that starts at the first token, and nothing else may be recorded.
        List<Map<String, String>> wins = Concurrently.run(threads(), concurrencyTimeout(), i -> {
            Map<String, String> mine = new HashMap<>();
            for (int n = 0; n < attempts; n++) {
                Optional<Grant> now = store.findById(grant.grantId());
                String expected = current(now.orElseThrow());
                String next = TestGrants.newRefreshTokenHash();
                if (store.rotate(grant.grantId(), expected, next, grant.expiresAt())) {
                    mine.put(expected, next);
                }
            }
            return mine;
        });

        Map<String, String> chain = new HashMap<>();
        wins.forEach(m -> m.forEach((from, to) -> assertThat(chain.put(from, to)).as("two winners from one token")
                .isNull()));
        String at = current(grant);
        List<String> walked = new ArrayList<>();
        while (chain.containsKey(at)) {
            at = chain.get(at);
            walked.add(at);
        }
        assertThat(walked.size()).isEqualTo(chain.size()).isPositive();
        // The SPI promises the current hash and at least the last 16 rotated-out ones (GrantStore Javadoc).
        for (String hash : walked.subList(Math.max(0, walked.size() - 17), walked.size())) {
            assertThat(store.findByRefreshToken(grant.grantId(), hash).map(Grant::grantId)).contains(grant.grantId());
        }
        assertThat(store.findById(grant.grantId()).orElseThrow().refreshTokenHash()).contains(at);
    }

    @Test
    public void whenRotationsRaceARevocationThenTheGrantEndsRevoked() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);

        Concurrently.run(threads(), concurrencyTimeout(), i -> {
            if (i == 0) {
                store.revoke(grant.grantId());
            } else {
                Optional<Grant> now = store.findById(grant.grantId());
                store.rotate(grant.grantId(), current(now.orElseThrow()), TestGrants.newRefreshTokenHash(),
                        grant.expiresAt());
            }
            return null;
        });

        Grant after = store.findById(grant.grantId()).orElseThrow();
        assertThat(after.revoked()).isTrue();
        assertThat(store.rotate(grant.grantId(), current(after), TestGrants.newRefreshTokenHash(), grant.expiresAt()))
                .isFalse();
    }

    @Test
    public void whenRotatedThenTheRotatedOutTokenNamesItsSuccessorAndWhen() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        clock.advance(Duration.ofSeconds(7));
        Instant rotatedAt = clock.instant();
        store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)));

        if (!recordsRotations()) {
            assertThat(store.rotationOf(grant.grantId(), current(grant))).isEmpty();
            return;
        }
        GrantStore.Rotation rotation = store.rotationOf(grant.grantId(), current(grant)).orElseThrow();
        assertThat(rotation.replacedBy()).isEqualTo(next);
        assertThat(rotation.at()).isEqualTo(rotatedAt);
        assertThat(store.rotationOf(grant.grantId(), next)).isEmpty();
        assertThat(store.rotationOf(grant.grantId(), TestGrants.newRefreshTokenHash())).isEmpty();
    }

    @Test
    public void whenRotatedManyTimesThenTheNewestRotatedOutHashesAreKeptAndOlderOnesForgotten() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        List<String> chain = new ArrayList<>(List.of(current(grant)));
        for (int i = 0; i < GrantStore.ROTATED_HASHES_KEPT + 4; i++) {
            String next = TestGrants.newRefreshTokenHash();
            assertThat(store.rotate(grant.grantId(), chain.get(chain.size() - 1), next, later(Duration.ofDays(30))))
                    .isTrue();
            chain.add(next);
        }
        int last = chain.size() - 1;

        for (int i = last - GrantStore.ROTATED_HASHES_KEPT; i <= last; i++) {
            assertThat(store.findByRefreshToken(grant.grantId(), chain.get(i))).as("hash " + i).isPresent();
        }
        for (int i = 0; i < last - GrantStore.ROTATED_HASHES_KEPT; i++) {
            assertThat(store.findByRefreshToken(grant.grantId(), chain.get(i))).as("hash " + i).isEmpty();
        }
    }

    @Test
    public void whenATokenNamesAnotherGrantThenNeitherGrantIsFound() {
        Grant grant = TestGrants.grant().build();
        Grant other = TestGrants.grant().subject(grant.subject()).clientId(grant.clientId().getValue()).build();
        store.save(grant);
        store.save(other);
        String next = TestGrants.newRefreshTokenHash();
        assertThat(store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)))).isTrue();

        assertThat(store.findByRefreshToken(other.grantId(), next)).isEmpty();
        assertThat(store.findByRefreshToken(other.grantId(), current(grant))).isEmpty();
        assertThat(store.rotationOf(other.grantId(), current(grant))).isEmpty();
        assertThat(store.findByRefreshToken(grant.grantId(), current(other))).isEmpty();
        assertThat(store.findByRefreshToken(other.grantId(), current(other))).contains(other);
    }

    @Test
    public void whenATokenNamesNoGrantThenFoundByItsHashOnlyIfTheStoreCan() {
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        assertThat(store.rotate(grant.grantId(), current(grant), next, later(Duration.ofDays(30)))).isTrue();

        if (!findsTokensThatNameNoGrant()) {
            assertThat(store.findByRefreshToken(null, next)).isEmpty();
            assertThat(store.findByRefreshToken(null, current(grant))).isEmpty();
            return;
        }
        assertThat(store.findByRefreshToken(null, next).map(Grant::grantId)).contains(grant.grantId());
        assertThat(store.findByRefreshToken(null, current(grant)).map(Grant::grantId)).contains(grant.grantId());
        assertThat(store.findByRefreshToken(null, TestGrants.newRefreshTokenHash())).isEmpty();
    }

    @Test
    public void whenRotatedTwiceThenTheLastRotatedOutTokenNamesTheCurrentOneAndOlderOnesNever() {
        assumeTrue(recordsRotations(), "store records no rotations");
        Grant grant = TestGrants.grant().build();
        store.save(grant);
        String second = TestGrants.newRefreshTokenHash();
        String third = TestGrants.newRefreshTokenHash();
        store.rotate(grant.grantId(), current(grant), second, later(Duration.ofDays(30)));
        clock.advance(Duration.ofSeconds(3));
        Instant lastRotatedAt = clock.instant();
        store.rotate(grant.grantId(), second, third, later(Duration.ofDays(30)));

        assertThat(store.rotationOf(grant.grantId(), second))
                .contains(new GrantStore.Rotation(third, lastRotatedAt));
        // a store may answer for older ones, but never with the current token as their successor
        assertThat(store.rotationOf(grant.grantId(), current(grant)).map(GrantStore.Rotation::replacedBy))
                .isNotEqualTo(Optional.of(third));
    }

    @Test
    public void whenListedBySubjectThenOnlyTheirActiveGrantsNewestFirst() {
        String alice = "alice-" + System.nanoTime();
        Grant older = TestGrants.grant().subject(alice).clientId("client-a")
                .createdAt(MutableClock.START.minusSeconds(60)).build();
        Grant newer = TestGrants.grant().subject(alice).clientId("client-b").noRefreshToken()
                .createdAt(MutableClock.START.minusSeconds(30)).build();
        Grant revoked = TestGrants.grant().subject(alice).clientId("client-c").build();
        Grant expired = TestGrants.grant().subject(alice).clientId("client-d")
                .expiresAt(MutableClock.START.plusSeconds(5)).build();
        Grant someoneElse = TestGrants.grant().subject("bob-" + System.nanoTime()).clientId("client-a").build();
        for (Grant g : List.of(older, newer, revoked, expired, someoneElse)) {
            store.save(g);
        }
        store.revoke(revoked.grantId());
        clock.advance(Duration.ofSeconds(10));

        List<GrantStore.ActiveGrant> listed = store.findBySubject(alice, GrantStore.MAX_LISTED);

        assertThat(listed).extracting(a -> a.grant().grantId()).containsExactly(newer.grantId(), older.grantId());
        assertThat(listed.get(0).grant()).isEqualTo(newer);
        assertThat(listed.get(0).lastUsedAt()).isEqualTo(newer.createdAt());
        assertThat(store.findBySubject(alice, 1)).hasSize(1);
        assertThat(store.findBySubject("nobody-" + System.nanoTime(), 10)).isEmpty();
    }

    @Test
    public void whenRefreshTokenRotatedThenListedGrantWasLastUsedThen() {
        String carol = "carol-" + System.nanoTime();
        Grant grant = TestGrants.grant().subject(carol).createdAt(MutableClock.START.minusSeconds(60)).build();
        store.save(grant);
        clock.advance(Duration.ofMinutes(5));
        Instant rotatedAt = clock.instant();

        assertThat(store.rotate(grant.grantId(), current(grant), TestGrants.newRefreshTokenHash(),
                later(TestGrants.LIFETIME))).isTrue();

        GrantStore.ActiveGrant listed = store.findBySubject(carol, 10).get(0);
        assertThat(listed.grant().createdAt()).isEqualTo(grant.createdAt());
        assertThat(listed.lastUsedAt()).isEqualTo(rotatedAt);
    }

    @Test
    public void whenListLimitOutOfRangeThenRefused() {
        assertThatThrownBy(() -> store.findBySubject("alice", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.findBySubject("alice", GrantStore.MAX_LISTED + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
