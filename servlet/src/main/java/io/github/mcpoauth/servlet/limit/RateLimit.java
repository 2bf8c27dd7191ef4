package io.github.mcpoauth.servlet.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token-bucket rate: a burst of up to {@code requests}, refilled evenly at {@code requests} per {@code per}.
 * {@code RateLimit.of(10, Duration.ofMinutes(1))} allows 10 requests at once, then one every 6 seconds.
 *
 * @param requests the bucket size and the number of requests per period, 1 to 1,000,000
 * @param per the period, 1 second to 1 day
 */
public record RateLimit(int requests, Duration per) {

    /** Checks the ranges, naming the bad field. */
    public RateLimit {
        if (requests < 1 || requests > 1_000_000) {
            throw new IllegalArgumentException("requests must be 1 to 1000000, was " + requests);
        }
        Objects.requireNonNull(per, "per");
        if (per.compareTo(Duration.ofSeconds(1)) < 0 || per.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("per must be 1 second to 1 day, was " + per);
        }
    }

    /** {@code requests} per {@code per}. */
    public static RateLimit of(int requests, Duration per) {
        return new RateLimit(requests, per);
    }

    /** {@code requests} per minute. */
    public static RateLimit perMinute(int requests) {
        return new RateLimit(requests, Duration.ofMinutes(1));
    }

    /** {@code requests} per hour. */
    public static RateLimit perHour(int requests) {
        return new RateLimit(requests, Duration.ofHours(1));
    }

    @Override
    public String toString() {
        return requests + "/" + per;
    }
}
