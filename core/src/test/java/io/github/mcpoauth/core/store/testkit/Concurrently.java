package io.github.mcpoauth.core.store.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Runs a task on many threads released at the same moment, within a time bound. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs {@code task.apply(i)} for every {@code i} below {@code threads}, each on a thread of its own, all
     * started together once every thread is ready.
     *
     * @return the results, by {@code i}
     * @throws AssertionError if the tasks did not all end within {@code timeout}, or one threw
     */
    public static <T> List<T> run(int threads, Duration timeout, IntFunction<T> task) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "contract-test");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            if (!ready.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("threads did not start within " + timeout);
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(remaining(deadline), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            throw new AssertionError("concurrent tasks did not finish within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent task failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            executor.shutdownNow();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
