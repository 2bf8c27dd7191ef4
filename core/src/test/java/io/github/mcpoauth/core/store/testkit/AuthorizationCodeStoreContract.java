package io.github.mcpoauth.core.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AuthorizationCodeStore}: single-use {@code consume} under concurrency, consumed codes
 * kept until they expire (so that a replay is recognised), expiry. Subclass it and return a store from
 * {@link #createStore}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4">RFC 9700 §4.2.4</a>
 */
public abstract class AuthorizationCodeStoreContract {

    /** The clock handed to the store; tests move it. */
    protected final MutableClock clock = MutableClock.at(MutableClock.START);

    /** The store under test, created before each test. */
    protected AuthorizationCodeStore store;

    /** A store to test, reading the time from {@code clock}. */
    protected abstract AuthorizationCodeStore createStore(Clock clock);

    /**
     * A grant store of the same family as the code store (the same database), into which {@link
     * AuthorizationCodeStore#redeem} saves atomically.
     */
    protected abstract GrantStore createGrantStore(Clock clock);

    /**
     * Whether the store stops returning a code once its expiry has passed (as the bundled stores do). The SPI
     * allows keeping it, the caller checks {@code expiresAt}; a store that keeps expired codes returns
     * {@code false} and the expiry tests are skipped.
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

    @Test
    public void whenSavedThenFoundUnconsumedWithEveryField() {
        AuthorizationCode code = TestCodes.code().scopes("a", "b", "c")
                .resources("https://mcp.example.com/mcp", "https://other.example.com/api")
                .issuedAt(MutableClock.START.minusMillis(5)).build();

        store.save(code);

        assertThat(store.find(code.codeHash())).contains(code);
        assertThat(code.consumed()).isFalse();
    }

    @Test
    public void whenSavedWithoutRedirectUriThenFoundWithout() {
        AuthorizationCode code = TestCodes.code().redirectUri(null).build();

        store.save(code);

        assertThat(store.find(code.codeHash()).orElseThrow().redirectUri()).isEmpty();
    }

    @Test
    public void whenSavedThenResourceOrderIsKept() {
        AuthorizationCode code = TestCodes.code()
                .resources("https://z.example.com/mcp", "https://a.example.com/mcp", "https://m.example.com/mcp")
                .build();

        store.save(code);

        assertThat(store.find(code.codeHash()).orElseThrow().resources()).containsExactly(
                URI.create("https://z.example.com/mcp"), URI.create("https://a.example.com/mcp"),
                URI.create("https://m.example.com/mcp"));
    }

    @Test
    public void whenUnknownThenNotFoundAndNotConsumable() {
        String hash = TestGrants.newRefreshTokenHash();

        assertThat(store.find(hash)).isEmpty();
        assertThat(store.consume(hash)).isFalse();
        assertThat(store.find(hash)).isEmpty();
    }

    @Test
    public void whenConsumedThenFirstCallTrueAndEveryLaterCallFalse() {
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);

        assertThat(store.consume(code.codeHash())).isTrue();
        assertThat(store.consume(code.codeHash())).isFalse();
        assertThat(store.consume(code.codeHash())).isFalse();
    }

    @Test
    public void whenConsumedThenStillFoundAsConsumedUntilItExpires() {
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        store.consume(code.codeHash());

        clock.set(code.expiresAt().minusMillis(1));

        assertThat(store.find(code.codeHash())).contains(code.asConsumed());
    }

    @Test
    public void whenOneCodeConsumedThenOthersUnaffected() {
        AuthorizationCode consumed = TestCodes.code().build();
        AuthorizationCode other = TestCodes.code().build();
        store.save(consumed);
        store.save(other);

        store.consume(consumed.codeHash());

        assertThat(store.find(other.codeHash())).contains(other);
        assertThat(store.consume(other.codeHash())).isTrue();
    }

    @Test
    public void whenNotYetExpiredThenConsumable() {
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);

        clock.set(code.expiresAt().minusMillis(1));

        assertThat(store.consume(code.codeHash())).isTrue();
    }

    @Test
    public void whenExpiredThenNotFoundAndNotConsumable() {
        assumeTrue(dropsExpiredEntries(), "store keeps expired codes");
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);

        clock.set(code.expiresAt());

        assertThat(store.find(code.codeHash())).isEmpty();
        assertThat(store.consume(code.codeHash())).isFalse();
    }

    @Test
    public void whenSavedAlreadyConsumedThenRejected() {
        AuthorizationCode code = TestCodes.code().consumed(true).build();

        assertThatThrownBy(() -> store.save(code)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(code.codeHash())).isEmpty();
    }

    @Test
    public void whenSavedAgainAfterConsumptionThenRejectedAndStillConsumed() {
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        store.consume(code.codeHash());

        // Saving a code twice must never make a consumed code redeemable again.
        assertThatThrownBy(() -> store.save(code)).isInstanceOf(RuntimeException.class);

        assertThat(store.find(code.codeHash())).contains(code.asConsumed());
        assertThat(store.consume(code.codeHash())).isFalse();
    }

    @Test
    public void whenManyThreadsConsumeOneCodeThenExactlyOneSucceeds() {
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);

        List<Boolean> results = Concurrently.run(threads(), concurrencyTimeout(),
                i -> store.consume(code.codeHash()));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(store.find(code.codeHash()).orElseThrow().consumed()).isTrue();
    }

    @Test
    public void whenManyThreadsEachConsumeTheirOwnCodeThenEverySucceeds() {
        List<AuthorizationCode> codes = IntStream.range(0, threads()).mapToObj(i -> TestCodes.code().build()).toList();
        codes.forEach(store::save);

        List<Boolean> results = Concurrently.run(threads(), concurrencyTimeout(),
                i -> store.consume(codes.get(i).codeHash()));

        assertThat(results).containsOnly(true);
    }

    private Grant grantFor(AuthorizationCode code) {
        return TestGrants.grant().grantId(code.grantId()).build();
    }

    @Test
    public void whenRedeemedThenCodeConsumedAndGrantSaved() {
        GrantStore grants = createGrantStore(clock);
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        Grant grant = grantFor(code);

        assertThat(store.redeem(code.codeHash(), grant, grants)).isTrue();

        assertThat(store.find(code.codeHash()).orElseThrow().consumed()).isTrue();
        assertThat(grants.findById(grant.grantId())).contains(grant);
    }

    @Test
    public void whenRedeemedAgainThenFalseAndNothingSaved() {
        GrantStore grants = createGrantStore(clock);
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        store.redeem(code.codeHash(), grantFor(code), grants);
        Grant second = TestGrants.grant().build();

        assertThat(store.redeem(code.codeHash(), second, grants)).isFalse();

        assertThat(grants.findById(second.grantId())).isEmpty();
    }

    @Test
    public void whenGrantCannotBeSavedThenCodeStaysRedeemable() {
        GrantStore grants = createGrantStore(clock);
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        Grant clash = grantFor(code);
        grants.save(clash); // the redemption's grant id is taken: its save fails

        assertThatThrownBy(() -> store.redeem(code.codeHash(), TestGrants.grant().grantId(code.grantId()).build(),
                grants)).isInstanceOf(RuntimeException.class);

        assertThat(store.find(code.codeHash()).orElseThrow().consumed()).isFalse();
        Grant retry = TestGrants.grant().build();
        assertThat(store.redeem(code.codeHash(), retry, grants)).isTrue();
        assertThat(grants.findById(retry.grantId())).contains(retry);
    }

    @Test
    public void whenManyThreadsRedeemOneCodeThenExactlyOneGrantIsSaved() {
        GrantStore grants = createGrantStore(clock);
        AuthorizationCode code = TestCodes.code().build();
        store.save(code);
        List<Grant> candidates = IntStream.range(0, threads()).mapToObj(i -> TestGrants.grant().build()).toList();

        List<Boolean> results = Concurrently.run(threads(), concurrencyTimeout(),
                i -> store.redeem(code.codeHash(), candidates.get(i), grants));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(candidates).filteredOn(g -> grants.findById(g.grantId()).isPresent()).hasSize(1);
    }
}
