package io.github.mcpoauth.spring;

import io.github.mcpoauth.core.store.StoreCleanup;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a {@link StoreCleanup} on one daemon thread of its own while the application runs, and stops that thread
 * when the application context closes (no thread outlives a redeploy).
 */
public final class StoreCleanupScheduler implements SmartLifecycle {

    private final StoreCleanup cleanup;
    private final Duration initialDelay;
    private final Duration interval;
    private ScheduledExecutorService executor;

    /**
     * A scheduler of {@code cleanup}.
     *
     * @param cleanup the job
     * @param initialDelay before the first run
     * @param interval between the end of one run and the start of the next
     */
    public StoreCleanupScheduler(StoreCleanup cleanup, Duration initialDelay, Duration interval) {
        this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-oauth-store-cleanup");
            t.setDaemon(true);
            return t;
        });
        cleanup.schedule(executor, initialDelay, interval);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
