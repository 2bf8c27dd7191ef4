package io.github.mcpoauth.servlet.internal.limit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bound on the requests that may wait on the store at once, so that a slow or locked database cannot take every
 * container thread: endpoints that need no store (metadata, JWKS, protected resource metadata) keep answering
 * while the store-bound ones (token, registration, revocation, introspection) queue here for a short while and
 * are then refused with 503 and {@code Retry-After} (RFC 9110 §15.6.4, §10.2.3).
 *
 * <p>Size it below the container's thread pool (so some threads stay free for everything else) and at or above
 * the connection pool (so the pool, not this bound, limits throughput in normal operation). Thread-safe; one
 * instance per server, shared by its store-bound endpoints.
 */
public final class StorePermits {

    /** The default number of permits: below Jetty's and Tomcat's default thread pools (200). */
    public static final int DEFAULT_PERMITS = 64;

    /** The default wait for a permit before the request is refused. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    private static final StorePermits UNLIMITED = new StorePermits(null, Duration.ZERO);

    private final Semaphore permits;
    private final int size;
    private final Duration wait;

    private StorePermits(Integer permits, Duration wait) {
        this.permits = permits == null ? null : new Semaphore(permits, true);
        this.size = permits == null ? Integer.MAX_VALUE : permits;
        this.wait = wait;
    }

    /**
     * At most {@code permits} store-bound requests at once, a further one waiting at most {@code wait} for a
     * permit.
     *
     * @param permits at least 1
     * @param wait zero to refuse at once, at most one minute
     */
    public static StorePermits of(int permits, Duration wait) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("wait must be 0 to 1 minute, was " + wait);
        }
        return new StorePermits(permits, wait);
    }

    /** {@value #DEFAULT_PERMITS} permits, {@link #DEFAULT_WAIT} wait. */
    public static StorePermits defaults() {
        return of(DEFAULT_PERMITS, DEFAULT_WAIT);
    }

    /** No bound. */
    public static StorePermits unlimited() {
        return UNLIMITED;
    }

    /**
     * Takes a permit, waiting at most the configured time; a caller that gets one must {@link #release()} it.
     *
     * @return whether a permit was taken (false also when the thread was interrupted; the interrupt is kept)
     */
    public boolean tryAcquire() {
        if (permits == null) {
            return true;
        }
        try {
            return permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back a permit {@link #tryAcquire()} took. */
    public void release() {
        if (permits != null) {
            permits.release();
        }
    }

    /** The number of permits free now (for tests and monitoring). */
    public int available() {
        return permits == null ? Integer.MAX_VALUE : permits.availablePermits();
    }

    @Override
    public String toString() {
        return permits == null ? "StorePermits[unlimited]" : "StorePermits[" + size + ", wait=" + wait + "]";
    }
}
