package io.github.mcpoauth.servlet.internal.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.internal.limit.RateLimiter;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Throttles a client address that sends the guard refused tokens: each {@code invalid_token} takes one request
 * from the address's bucket ({@link RateLimiter}); once the bucket is empty the address is refused with 429 and
 * {@code Retry-After} before any token of it is verified (a forged token costs a full signature check), until the
 * bucket would allow one again. Requests with good tokens and requests without a token cost nothing. Entering the
 * throttled state is reported once as an {@link AuditEvent.Type#RATE_LIMITED} event. Bounded memory; thread-safe.
 */
final class BadTokenThrottle {

    private final RateLimiter failures;
    private final Cache<String, Long> blockedUntil;
    private final Ticker ticker;
    private final TrustedProxies proxies;
    private final Clock clock;
    private final AuditListener audit;

    BadTokenThrottle(RateLimit limit, TrustedProxies proxies, Clock clock, AuditListener audit) {
        this.failures = RateLimiter.create(Objects.requireNonNull(limit, "limit"), clock);
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ticker = ClockTicker.of(clock);
        this.blockedUntil = Caches.builder().ticker(ticker).expireAfterWrite(limit.per())
                .maximumSize(RateLimiter.MAX_KEYS).build();
    }

    /** How long the address of {@code request} must still wait, if it is throttled. */
    Optional<Duration> blocked(HttpServletRequest request) {
        if (blockedUntil.estimatedSize() == 0) {
            return Optional.empty(); // nobody throttled: no client address to work out (the hot path)
        }
        Long until = blockedUntil.getIfPresent(proxies.clientAddress(request));
        if (until == null) {
            return Optional.empty();
        }
        long left = until - ticker.read();
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    /**
     * Counts a refused token from the address of {@code request}; throttles the address once over the limit.
     *
     * @return how long the address must wait, if this refusal put it over the limit
     */
    Optional<Duration> refused(HttpServletRequest request) {
        String address = proxies.clientAddress(request);
        Optional<Duration> wait = failures.tryAcquire(address);
        if (wait.isEmpty()) {
            return wait;
        }
        long until = ticker.read() + wait.get().toNanos();
        Long before = blockedUntil.asMap().put(address, until);
        if (before == null || before - ticker.read() <= 0) {
            audit.onEvent(AuditEvent.of(AuditEvent.Type.RATE_LIMITED, clock.instant(), null,
                    "endpoint=guard by=invalid_token address=" + address + " retry_after="
                            + wait.get().toSeconds() + "s"));
        }
        return wait;
    }

    @Override
    public String toString() {
        return "BadTokenThrottle[" + failures.limit() + "]";
    }
}
