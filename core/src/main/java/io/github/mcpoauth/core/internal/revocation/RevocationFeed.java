package io.github.mcpoauth.core.internal.revocation;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a {@link RevocationLog} every {@link #POLL_INTERVAL} on one daemon thread and hands each revoked grant id
 * to the cache, so that a revocation made on another node is seen here within {@link #STALENESS_BOUND}.
 *
 * <p>{@link #fresh()} is what makes the bound hold whatever happens to the thread or the database: a pass that
 * reads the log to its end, having started at ticker reading {@code t}, has seen every revocation committed before
 * {@code t}; the feed is fresh while the last such {@code t} lies within the bound. When it is not (database down,
 * thread starved, nothing read yet), the cache must not answer from memory. A failing pass is logged once per
 * outage and retried at the next interval; the position in the log is kept, so nothing is skipped on recovery.
 * After a gap longer than {@link #FORGET_AFTER} (the log may have been trimmed meanwhile), the cache is told to
 * forget everything.
 */
final class RevocationFeed implements AutoCloseable {

    /** How often the log is read. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    /** How old the last complete read of the log may be while the cache still answers from memory. */
    static final Duration STALENESS_BOUND = Duration.ofSeconds(1);

    /** A gap between complete reads after which the cache forgets everything. */
    static final Duration FORGET_AFTER = Duration.ofSeconds(10);

    /** The most entries one query reads. */
    static final int BATCH = 500;

    private static final System.Logger LOG = System.getLogger(RevocationFeed.class.getName());

    private final RevocationLog log;
    private final Ticker ticker;
    private final Consumer<String> revoked;
    private final Runnable forgetAll;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService thread;
    /** Once set, the cache stops trusting and filling itself: every check reads the store. */
    private volatile boolean closed;
    /** Set once {@link #start()} has run: the check's fast path reads only this. */
    private volatile boolean started;

    /** Written by the feed's thread only. */
    private long cursor = -1;
    private boolean failing;
    /** The start of the last pass that read the log to its end; meaningful once {@link #initialized} is set. */
    private volatile long caughtUpAt;
    private volatile boolean initialized;

    /**
     * A feed of {@code log}, not yet started.
     *
     * @param ticker monotonic nanoseconds, what the bound is measured on
     * @param revoked called with each grant id revoked on any node (also this one's, a second time)
     * @param forgetAll called when the feed resumes after a long gap
     */
    RevocationFeed(RevocationLog log, Ticker ticker, Consumer<String> revoked, Runnable forgetAll) {
        this.log = Objects.requireNonNull(log, "log");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.revoked = Objects.requireNonNull(revoked, "revoked");
        this.forgetAll = Objects.requireNonNull(forgetAll, "forgetAll");
    }

    /** Starts the polling thread, unless it runs already or the feed was closed. */
    void start() {
        if (started) {
            return;
        }
        synchronized (lifecycle) {
            started = true;
            if (thread != null || closed) {
                return;
            }
            thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mcp-oauth-revocation-feed");
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(this::poll, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the thread was started and not closed. */
    boolean running() {
        synchronized (lifecycle) {
            return thread != null && !closed;
        }
    }

    /**
     * Whether the log has been read to its end at a moment within the staleness bound: the cache may answer from
     * memory.
     */
    boolean fresh() {
        return initialized && !closed && ticker.read() - caughtUpAt <= STALENESS_BOUND.toNanos();
    }

    /**
     * Whether the feed knows its position in the log: a grant read from the store from now on may be cached,
     * since any later revocation of it will come through the feed.
     */
    boolean initialized() {
        return initialized && !closed;
    }

    /** One pass: reads the log to its end. Runs on the feed's thread (tests call it directly). */
    synchronized void poll() {
        long start = ticker.read();
        try {
            if (cursor < 0) {
                cursor = log.newest();
            } else {
                List<RevocationLog.Entry> entries;
                do {
                    entries = log.after(cursor, BATCH);
                    for (RevocationLog.Entry e : entries) {
                        revoked.accept(e.grantId());
                        cursor = e.seq();
                    }
                } while (entries.size() == BATCH);
                if (start - caughtUpAt > FORGET_AFTER.toNanos()) {
                    forgetAll.run();
                }
            }
            caughtUpAt = start;
            initialized = true;
            if (failing) {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "revocation feed reads the log again");
            }
        } catch (RuntimeException e) {
            // Quiet retry: until a pass succeeds, fresh() turns false within the bound and the cache reads the store.
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "revocation feed cannot read the log ({0}); the guard reads "
                        + "the grant store on every request until it can", e.getClass().getName());
            }
        }
    }

    /** Stops the thread. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (lifecycle) {
            closed = true;
            stopping = thread;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdownNow();
        try {
            if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "revocation feed did not stop within 10 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
