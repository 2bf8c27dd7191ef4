package io.github.mcpoauth.servlet.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorePermitsTest {

    @Test
    void whenEveryPermitIsTakenThenTheNextRequestIsRefusedUntilOneIsReleased() {
        StorePermits permits = StorePermits.of(2, Duration.ZERO);

        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.tryAcquire()).isFalse();
        permits.release();
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.available()).isZero();
    }

    @Test
    void whenUnlimitedThenEveryRequestGetsAPermit() {
        StorePermits permits = StorePermits.unlimited();

        for (int i = 0; i < 1000; i++) {
            assertThat(permits.tryAcquire()).isTrue();
        }
    }

    @Test
    void whenTheThreadIsInterruptedThenNoPermitAndTheInterruptIsKept() {
        StorePermits permits = StorePermits.of(1, Duration.ofSeconds(30));
        assertThat(permits.tryAcquire()).isTrue();

        Thread.currentThread().interrupt();
        try {
            assertThat(permits.tryAcquire()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void whenSettingsAreOutOfRangeThenConstructionFailsNamingTheField() {
        assertThatThrownBy(() -> StorePermits.of(0, Duration.ZERO)).hasMessageContaining("permits");
        assertThatThrownBy(() -> StorePermits.of(1, Duration.ofMinutes(2))).hasMessageContaining("wait");
        assertThatThrownBy(() -> StorePermits.of(1, Duration.ofSeconds(-1))).hasMessageContaining("wait");
        assertThatThrownBy(() -> StorePermits.of(1, null)).hasMessageContaining("wait");
    }
}
