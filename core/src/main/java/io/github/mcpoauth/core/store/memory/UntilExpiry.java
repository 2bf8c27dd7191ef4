package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** Caffeine expiry that drops an entry at an instant the value names, measured on the server's clock. */
final class UntilExpiry<K, V> implements Expiry<K, V> {

    private final Clock clock;
    private final Function<V, Instant> expiresAt;

    UntilExpiry(Clock clock, Function<V, Instant> expiresAt) {
        this.clock = clock;
        this.expiresAt = expiresAt;
    }

    private long remaining(V value) {
        Duration d = Duration.between(clock.instant(), expiresAt.apply(value));
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
        return remaining(value);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return remaining(value);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
