package io.github.mcpoauth.core.internal.settings;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Bridges the one injected {@link Clock} to Caffeine's {@link Ticker}. Every Caffeine cache in this library reads
 * time through it, so that a test that moves the clock moves expiry too, and no cache keeps its own idea of now.
 */
public final class ClockTicker {

    private ClockTicker() {
    }

    /** A ticker reading {@code clock}: nanoseconds since the epoch of {@link Clock#instant()}. */
    public static Ticker of(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
