package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory code store's bounds: an outstanding code (a sign-in under way) is never dropped to make room, however
 * many codes were redeemed before it; past the bound a new code is refused as unavailable; replays of recently
 * redeemed codes are still recognised.
 */
class MemoryCodeStoreBoundsTest {

    private static final int MAX = 50;

    private final MutableClock clock = MutableClock.atStart();
    private final MemoryCodeStore store = new MemoryCodeStore(clock, ClockTicker.of(clock), MAX);

    @Test
    void whenManyMoreCodesWereRedeemedThanTheBoundThenAnOutstandingCodeIsStillRedeemable() {
        AuthorizationCode waiting = TestCodes.code().build();
        store.save(waiting);
        for (int i = 0; i < MAX * 20; i++) {
            AuthorizationCode c = TestCodes.code().build();
            store.save(c);
            assertThat(store.consume(c.codeHash())).isTrue();
            store.find(c.codeHash()); // read once, as the token endpoint does: frequency must not matter
        }

        assertThat(store.find(waiting.codeHash())).hasValueSatisfying(c -> assertThat(c.consumed()).isFalse());
        assertThat(store.consume(waiting.codeHash())).isTrue();
    }

    @Test
    void whenTheBoundOfOutstandingCodesIsReachedThenANewCodeIsRefusedAsUnavailableAndNoneIsDropped() {
        List<AuthorizationCode> held = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            AuthorizationCode c = TestCodes.code().build();
            store.save(c);
            held.add(c);
        }

        assertThatThrownBy(() -> store.save(TestCodes.code().build()))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUnavailable()).isTrue());
        assertThat(held).allSatisfy(c -> assertThat(store.find(c.codeHash())).isPresent());
    }

    @Test
    void whenOutstandingCodesExpireThenTheyNoLongerCountAgainstTheBound() {
        for (int i = 0; i < MAX; i++) {
            store.save(TestCodes.code().build());
        }
        clock.advance(Duration.ofHours(1));

        AuthorizationCode next = TestCodes.code().expiresAt(clock.instant().plus(TestCodes.LIFETIME)).build();
        store.save(next);

        assertThat(store.find(next.codeHash())).isPresent();
    }

    @Test
    void whenARedeemedCodeIsPresentedAgainThenItIsFoundConsumed() {
        AuthorizationCode c = TestCodes.code().build();
        store.save(c);
        assertThat(store.consume(c.codeHash())).isTrue();

        assertThat(store.consume(c.codeHash())).isFalse();
        assertThat(store.find(c.codeHash())).hasValueSatisfying(found -> assertThat(found.consumed()).isTrue());
        assertThatThrownBy(() -> store.save(c)).isInstanceOf(IllegalStateException.class);
    }
}
