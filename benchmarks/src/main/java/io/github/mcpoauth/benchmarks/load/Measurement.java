package io.github.mcpoauth.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one operation from a fixed number of concurrent workers, bounded both in count and in time, and reports
 * throughput, latency percentiles and errors.
 *
 * @param operation what was measured
 * @param ops       operations completed (successful or not)
 * @param errors    operations that failed
 * @param seconds   wall time of the run
 * @param p50Micros median latency in microseconds
 * @param p99Micros 99th percentile latency in microseconds
 * @param firstError the first failure's message, or {@code null}
 * @param cpuMicrosPerOp the server's CPU time per operation in microseconds (its {@link CpuMeter}), or NaN
 * @param retries   requests the generator sent again on a fresh connection because the server had closed an idle
 *                  pooled one ({@link HttpSender#retries()}), counted by the caller ({@link #withGenerator})
 * @param generatorCpuMicrosPerOp the harness JVM's CPU time outside the example's threads per operation (the
 *                  generator, GC, JIT; {@link CpuMeter#jvmExcept}), measured by the caller, or NaN
 */
record Measurement(String operation, int ops, int errors, double seconds, double p50Micros, double p99Micros,
        String firstError, double cpuMicrosPerOp, long retries, double generatorCpuMicrosPerOp) {

    /** One operation on the state of worker {@code w}. */
    @FunctionalInterface
    interface Op<W> {
        void run(W worker) throws Exception;
    }

    /** This measurement with the connection retries and the generator's CPU nanoseconds spent during it. */
    Measurement withGenerator(long retries, long generatorCpuNanos) {
        return new Measurement(operation, ops, errors, seconds, p50Micros, p99Micros, firstError, cpuMicrosPerOp,
                retries, ops == 0 ? Double.NaN : generatorCpuNanos / 1000.0 / ops);
    }

    double opsPerSecond() {
        return seconds <= 0 ? 0 : (ops - errors) / seconds;
    }

    /** Operations a second, server CPU per operation and errors, for a progress line. */
    String brief() {
        return String.format(java.util.Locale.ROOT, "%.0f/s, %.0f µs of server CPU each, %d errors", opsPerSecond(),
                cpuMicrosPerOp, errors);
    }

    /**
     * Runs {@code op} on every worker state in {@code workers} (one thread each) until {@code maxOps} operations
     * were started or {@code duration} passed, whichever is first.
     */
    static <W> Measurement run(String operation, List<W> workers, int maxOps, Duration duration, Op<W> op)
            throws InterruptedException {
        return run(operation, workers, maxOps, duration, op, null);
    }

    /** As {@link #run(String, List, int, Duration, Op)}, also reading the server's CPU time before and after. */
    static <W> Measurement run(String operation, List<W> workers, int maxOps, Duration duration, Op<W> op,
            CpuMeter cpu) throws InterruptedException {
        return of(operation, List.of(slice(operation, workers, maxOps, duration, op, cpu)));
    }

    /**
     * The median of {@code runs} by operations a second (of an even number, the faster of the middle two): item 2's
     * yardstick, the median of runs of a thousand flows at steady state measured as the first thousand are. One
     * run's speed on this VM moves by a quarter from run to run (a collection, a slow spell of the host), and the
     * median is the speed of a run, not of a slow run's weight in a sum.
     */
    static Measurement median(List<Measurement> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Measurement> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Measurement::opsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The slowest of {@code runs} by operations a second: beside their {@link #median}, how far one run falls from
     * it with nothing changed but the run.
     */
    static Measurement slowest(List<Measurement> runs) {
        return runs.stream().min(java.util.Comparator.comparingDouble(Measurement::opsPerSecond))
                .orElseThrow(() -> new IllegalArgumentException("no runs"));
    }

    /** One run as {@link #run(String, List, int, Duration, Op, CpuMeter)} does it, not yet summed up. */
    static <W> Slice slice(String operation, List<W> workers, int maxOps, Duration duration, Op<W> op,
            CpuMeter cpu) throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencies = new long[workers.size()][];
        int[] counts = new int[workers.size()];
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workers.size());
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            int index = i;
            W state = workers.get(i);
            Thread t = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                try {
                    go.await();
                    while (System.nanoTime() < deadline[0] && started.getAndIncrement() < maxOps) {
                        long t0 = System.nanoTime();
                        try {
                            op.run(state);
                        } catch (Exception | AssertionError e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, String.format(java.util.Locale.ROOT, "%s (at %.1f s, %s)",
                                    e, (System.nanoTime() - deadline[0] + duration.toNanos()) / 1e9,
                                    Thread.currentThread().getName()));
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - t0;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    latencies[index] = mine;
                    counts[index] = n;
                    done.countDown();
                }
            }, "load-" + operation + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long cpu0 = cpu == null ? 0 : cpu.cpuNanos();
        long t0 = System.nanoTime();
        deadline[0] = t0 + duration.toNanos();
        go.countDown();
        if (!done.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(operation + ": workers did not finish");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpuUsed = cpu == null ? -1 : cpu.cpuNanos() - cpu0;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        return new Slice(all, errors.get(), seconds, firstError.get(), cpuUsed);
    }

    /**
     * One uninterrupted run of an operation, not yet summed up: its latencies (ns), errors, wall time, first error
     * and the server's CPU nanoseconds (-1 when not read).
     */
    record Slice(long[] latencies, int errors, double seconds, String firstError, long cpuNanos) {
    }

    /** The measurement of {@code operation} over {@code slices} run one after another, as if they were one run. */
    static Measurement of(String operation, List<Slice> slices) {
        long[] all = slices.stream().flatMapToLong(sl -> Arrays.stream(sl.latencies())).toArray();
        Arrays.sort(all);
        int errors = slices.stream().mapToInt(Slice::errors).sum();
        double seconds = slices.stream().mapToDouble(Slice::seconds).sum();
        String firstError = slices.stream().map(Slice::firstError).filter(java.util.Objects::nonNull).findFirst()
                .orElse(null);
        boolean cpuRead = slices.stream().allMatch(sl -> sl.cpuNanos() >= 0);
        long cpu = slices.stream().mapToLong(Slice::cpuNanos).sum();
        return new Measurement(operation, all.length, errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                firstError, !cpuRead || all.length == 0 ? Double.NaN : cpu / 1000.0 / all.length, 0, Double.NaN);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }
}
