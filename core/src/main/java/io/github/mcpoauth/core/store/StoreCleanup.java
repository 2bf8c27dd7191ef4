package io.github.mcpoauth.core.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A housekeeping job over a set of stores: purges what has expired and, if so configured, abandoned dynamically
 * registered clients. The host runs it from its own scheduler, or hands it a {@link ScheduledExecutorService} it
 * owns (and closes) through {@link #schedule}. Running it on several nodes at once is safe.
 *
 * <p>{@code AuthorizationServer} schedules one itself (see {@code AuthorizationServerSettings.cleanupInterval()}):
 * for the in-memory stores it makes, and for the job a host hands its builder. Stores whose entries expire by
 * themselves need little: {@code InMemoryStores.cleanup()} only forgets idle users; {@link #none()} does nothing.
 */
@FunctionalInterface
public interface StoreCleanup {

    /**
     * Runs one pass.
     *
     * @return how much was removed
     * @throws StoreException if the store failed; whatever was removed before stays removed
     */
    Result run();

    /**
     * Runs this job on {@code executor} every {@code period}, first after {@code initialDelay}, each run starting
     * {@code period} after the previous one ended. A failing run is logged (at {@code WARNING}, through
     * {@link System.Logger}) and does not stop later runs. Cancel the returned future, or shut the executor
     * down, to stop.
     */
    default ScheduledFuture<?> schedule(ScheduledExecutorService executor, Duration initialDelay, Duration period) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative: " + initialDelay);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        System.Logger log = System.getLogger(StoreCleanup.class.getName());
        Runnable pass = () -> {
            try {
                Result result = run();
                log.log(result.total() == 0 ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                        "store cleanup removed {0}", result);
            } catch (RuntimeException e) {
                // An exception escaping a periodic task would cancel every later run.
                log.log(System.Logger.Level.WARNING, "store cleanup failed; will retry in " + period, e);
            }
        };
        return executor.scheduleWithFixedDelay(pass, initialDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A job that removes nothing: for stores that expire their entries themselves. */
    static StoreCleanup none() {
        return () -> Result.EMPTY;
    }

    /**
     * What one pass removed.
     *
     * @param codes authorization codes past their expiry
     * @param grants grants past their expiry
     * @param refreshTokens refresh token hashes (current and rotated out) of those grants
     * @param signingKeys signing keys past their expiry (no longer published)
     * @param clients abandoned clients
     * @param consents consents given to those clients
     */
    record Result(int codes, int grants, int refreshTokens, int signingKeys, int clients, int consents) {

        /** Nothing removed. */
        public static final Result EMPTY = new Result(0, 0, 0, 0, 0, 0);

        /** Every count is zero or more. */
        public Result {
            if (codes < 0 || grants < 0 || refreshTokens < 0 || signingKeys < 0 || clients < 0 || consents < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        }

        /** The number of rows or entries removed in all. */
        public int total() {
            return codes + grants + refreshTokens + signingKeys + clients + consents;
        }
    }
}
