package io.github.mcpoauth.servlet.internal.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.servlet.limit.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A token bucket per key (a client address, a client id, a user name), in memory, bounded: each key may spend
 * {@link RateLimit#requests()} at once and gets them back evenly over {@link RateLimit#per()}. Time is read from
 * the given {@link Clock}, so tests move it by hand. Thread-safe.
 *
 * <p>At most {@value #MAX_KEYS} keys are tracked; a key idle for a whole period is forgotten (its bucket would be
 * full again anyway); past the bound the least recently used keys are dropped, which can only ever let more
 * through, never block a legitimate key.
 *
 * <pre>{@code
 * RateLimiter logins = RateLimiter.create(RateLimit.perMinute(5), clock);
 * Optional<Duration> wait = logins.tryAcquire(username);
 * if (wait.isPresent()) { response.setHeader("Retry-After", ...); response.setStatus(429); return; }
 * }</pre>
 */
public final class RateLimiter {

    /** The most keys tracked at once. */
    public static final int MAX_KEYS = 100_000;

    /** The answer for one request. */
    record Decision(boolean allowed, Duration retryAfter, boolean firstRefusal) {
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;
        private boolean refusing;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }
    }

    private final RateLimit limit;
    private final Ticker ticker;
    private final double perNano;
    private final Cache<String, Bucket> buckets;

    private RateLimiter(RateLimit limit, Clock clock, int maxKeys) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.ticker = ClockTicker.of(Objects.requireNonNull(clock, "clock"));
        this.perNano = limit.requests() / (double) limit.per().toNanos();  // tokens added per nanosecond
        this.buckets = Caches.builder()
                .ticker(ticker)
                .expireAfterAccess(limit.per())
                .maximumSize(maxKeys)
                .build();
    }

    /** A limiter allowing {@code limit} per key, on {@code clock}. */
    public static RateLimiter create(RateLimit limit, Clock clock) {
        return new RateLimiter(limit, clock, MAX_KEYS);
    }

    /** The rate this limiter applies. */
    public RateLimit limit() {
        return limit;
    }

    /**
     * Takes one request from {@code key}'s bucket.
     *
     * @return empty if the request may proceed; otherwise how long until the next one would be allowed (at least
     *     one second)
     */
    public Optional<Duration> tryAcquire(String key) {
        Decision d = acquire(key);
        return d.allowed() ? Optional.empty() : Optional.of(d.retryAfter());
    }

    /** Takes one request from {@code key}'s bucket and says whether this is the first refusal in a row. */
    Decision acquire(String key) {
        Objects.requireNonNull(key, "key");
        long now = ticker.read();
        Bucket bucket = buckets.get(key, k -> new Bucket(limit.requests(), now));
        synchronized (bucket) {
            long elapsed = now - bucket.updatedAt;
            if (elapsed > 0) {
                bucket.tokens = Math.min(limit.requests(), bucket.tokens + elapsed * perNano);
                bucket.updatedAt = now;
            }
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                bucket.refusing = false;
                return new Decision(true, Duration.ZERO, false);
            }
            long waitNanos = (long) Math.ceil((1 - bucket.tokens) / perNano);
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            boolean first = !bucket.refusing;
            bucket.refusing = true;
            return new Decision(false, Duration.ofSeconds(seconds), first);
        }
    }

    @Override
    public String toString() {
        return "RateLimiter[" + limit + "]";
    }
}
