package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.examples.jetty.JitWatch;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The warm-up before a measurement: an operation runs, unrecorded, in one-second slices until HotSpot's JIT has
 * settled ({@link JitWatch}: two slices in a row with at most 50 ms of compilation each), for at least the minimum
 * and at most the maximum warm-up. Measuring before the JIT has settled measures the compiler: on a 2-core machine
 * C2 compiles the flow's code for tens of seconds, taking up to half a core from the server while it does
 * (docs/performance.md, "Warm-up and steady state").
 *
 * <p>The reference server runs in node, whose compiler this JVM cannot see: it is warmed for as long as ours was.
 */
final class JitSettle {

    private static final Duration SLICE = Duration.ofSeconds(1);

    private JitSettle() {
    }

    /** What a warm-up took and whether the JIT settled within it. */
    record Outcome(Duration took, boolean settled, long lastSliceMillis) {

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d s, %s (%d ms compiled in the last second)",
                    took.toSeconds(), settled ? "JIT settled" : "JIT not settled by the maximum", lastSliceMillis);
        }
    }

    /** One unrecorded round of work; a slice runs as many as fit in a second, at least one. */
    @FunctionalInterface
    interface Round {
        void run() throws Exception;
    }

    /**
     * Runs {@code op} on {@code workers} in one-second slices until the JIT has settled (what {@code compiledMillis}
     * counts: this JVM's, and our server's where it has a JVM of its own), for at least {@code min} and at most
     * {@code max}.
     */
    static <W> Outcome untilSettled(String operation, List<W> workers, Measurement.Op<W> op,
            LongSupplier compiledMillis, Duration min, Duration max) throws Exception {
        return untilSettled(() -> Measurement.run(operation, workers, Integer.MAX_VALUE, slice(max), op),
                compiledMillis, min, max);
    }

    /**
     * Runs {@code round} again and again in slices of about a second (or {@code max}, if shorter) until the JIT
     * {@code compiledMillis} counts has settled, for at least {@code min} and at most {@code max}.
     */
    static Outcome untilSettled(Round round, LongSupplier compiledMillis, Duration min, Duration max)
            throws Exception {
        long start = System.nanoTime();
        JitWatch watch = JitWatch.of(compiledMillis);
        long sliceNanos = slice(max).toNanos();
        while (true) {
            long sliceEnd = System.nanoTime() + sliceNanos;
            do {
                round.run();
            } while (System.nanoTime() < sliceEnd);
            boolean settled = watch.sliceEnded() || !watch.canTell(); // unseen, the minimum decides
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if ((settled && took.compareTo(min) >= 0) || took.compareTo(max) >= 0) {
                return new Outcome(took, settled, watch.lastSliceMillis());
            }
        }
    }

    /** A slice: a second, or {@code max} if that is shorter. */
    private static Duration slice(Duration max) {
        return SLICE.compareTo(max) < 0 ? SLICE : max;
    }

    /** Runs {@code op} on {@code workers}, unrecorded, for {@code duration} (the reference's warm-up). */
    static <W> void forAsLong(String operation, List<W> workers, Measurement.Op<W> op, Duration duration)
            throws InterruptedException {
        Measurement.run(operation, workers, Integer.MAX_VALUE, duration, op);
    }
}
