package io.github.mcpoauth.core.internal.settings;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.Objects;

/**
 * Bridges the one injected {@link Clock} to Caffeine's {@link Ticker}. Every Caffeine cache in this library reads
 * time through it, so that a test that moves the clock moves expiry too, and no cache keeps its own idea of now.
 */
public final class ClockTicker {

    private ClockTicker() {
    }

    /**
     * A ticker reading {@code clock}: nanoseconds since the epoch, at the resolution of {@link Clock#millis()}. A
     * millisecond is finer than any expiry here (seconds), and on the system clock {@code millis()} reads the time
     * without the {@link java.time.Instant} that {@code instant()} allocates: every read of a cache with expiry
     * reads its ticker, the guard's lookups of a known token among them (issue 13).
     */
    public static Ticker of(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return () -> clock.millis() * 1_000_000L;
    }
}
