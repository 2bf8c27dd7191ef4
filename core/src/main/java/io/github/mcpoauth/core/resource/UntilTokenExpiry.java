package io.github.mcpoauth.core.resource;

import com.github.benmanes.caffeine.cache.Expiry;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a result until the token expires or the cache TTL passes, whichever is first. Measured from
 * {@code currentTime}, the reading of the cache's {@link ClockTicker} (nanoseconds since the epoch), not from
 * a second reading of the clock: an entry's deadline is then never later than {@code exp}, and a live entry
 * never holds an expired token.
 */
final class UntilTokenExpiry implements Expiry<Object, AccessTokenPrincipal> {
    private final Duration ttl;

    UntilTokenExpiry(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public long expireAfterCreate(Object key, AccessTokenPrincipal value, long currentTime) {
        Duration left = Duration.between(Instant.ofEpochSecond(0, currentTime), value.expiresAt());
        if (left.isNegative()) {
            return 0;
        }
        return (left.compareTo(ttl) < 0 ? left : ttl).toNanos();
    }

    @Override
    public long expireAfterUpdate(Object key, AccessTokenPrincipal value, long currentTime,
            long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(Object key, AccessTokenPrincipal value, long currentTime,
            long currentDuration) {
        return currentDuration;
    }
}
