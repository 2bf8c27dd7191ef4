package io.github.mcpoauth.core.internal.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Remembers the {@code jti} of every accepted assertion until it expires, so that each is accepted once
 * (RFC 7523 §3 item 7; RFC 7523 §2.2 client assertions and §2.1 authorization grants). Time is the settings'
 * clock; entries live until the assertion's {@code exp} plus the allowed skew. Bounded: past
 * {@code maximumSize} entries the cache evicts, which only the largest floods reach; the short lifetime allowed
 * to assertions keeps the window small. Per server instance: nodes behind a load balancer each keep their own.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 §3</a>
 */
public final class ReplayCache {

    private final Clock clock;
    private final Cache<String, Instant> seen;

    /** A cache on {@code clock} remembering at most {@code maximumSize} identifiers. */
    public ReplayCache(Clock clock, long maximumSize) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seen = Caches.builder()
                .ticker(ClockTicker.of(clock))
                .maximumSize(maximumSize)
                .expireAfter(new Expiry<String, Instant>() {
                    @Override
                    public long expireAfterCreate(String key, Instant until, long currentTime) {
                        return Math.max(1, Duration.between(clock.instant(), until).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Instant until, long currentTime, long duration) {
                        return duration;
                    }

                    @Override
                    public long expireAfterRead(String key, Instant until, long currentTime, long duration) {
                        return duration;
                    }
                })
                .build();
    }

    /**
     * Records {@code id} (already scoped by its issuer) as used until {@code until}; false if it was used before.
     * Atomic: of two concurrent first uses exactly one gets true.
     */
    public boolean firstUse(String id, Instant until) {
        Instant mine = until.isAfter(clock.instant()) ? until : clock.instant().plusSeconds(1);
        return seen.asMap().putIfAbsent(id, mine) == null;
    }
}
