package io.github.mcpoauth.servlet.internal.endpoint;

import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The time and concurrency bounds of a JSON endpoint: how long a client may take to send its request body (then
 * 408 with {@code Connection: close}), read on {@code clock}; and the {@link StorePermits} a store-bound endpoint
 * takes before it calls core (none for metadata and JWKS, which need no store).
 *
 * @param bodyTimeout  the most time from the start of the body read to its last byte, 1 second to 5 minutes
 * @param clock        the clock the deadline is read from (the server's clock)
 * @param storePermits the bound on concurrent store-bound requests, {@link StorePermits#unlimited()} for none
 */
public record EdgeLimits(Duration bodyTimeout, Clock clock, StorePermits storePermits) {

    /** The default request body limit of the JSON endpoints: 64 KiB. */
    public static final long DEFAULT_MAX_BODY = 64 * 1024;

    /** The default body deadline: ample for a form or JSON document of a few KiB on any working link. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    /** Checks every field, naming the bad one. */
    public EdgeLimits {
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.compareTo(Duration.ofSeconds(1)) < 0 || bodyTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("bodyTimeout must be 1 second to 5 minutes, was " + bodyTimeout);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(storePermits, "storePermits");
    }

    /** The default body deadline on the system clock, no bound on store-bound requests. */
    public static EdgeLimits defaults() {
        return new EdgeLimits(DEFAULT_BODY_TIMEOUT, Clock.systemUTC(), StorePermits.unlimited());
    }

    /** These limits with {@code permits} instead. */
    public EdgeLimits withStorePermits(StorePermits permits) {
        return new EdgeLimits(bodyTimeout, clock, permits);
    }
}
