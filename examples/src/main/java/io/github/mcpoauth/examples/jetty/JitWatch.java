package io.github.mcpoauth.examples.jetty;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether HotSpot's JIT has settled, read in slices of work: a slice in which every compiler thread together
 * compiled at most {@value #SETTLED_MILLIS} ms (5% of one core for a one-second slice) is quiet, and two quiet slices
 * in a row mean the JIT has settled. What {@link WarmStart} stops a twin on, and what the load harness's warm-ups
 * wait for before they measure (on a 2-core machine C2 compiles a full flow's code for 30 s and more).
 *
 * @see <a href="https://openjdk.org/groups/hotspot/docs/HotSpotGlossary.html">HotSpot glossary (tiered
 *     compilation)</a>
 */
public final class JitWatch {

    /** Compilation per slice (ms) that counts as quiet. */
    public static final long SETTLED_MILLIS = 50;

    private static final int QUIET_SLICES = 2;

    private final LongSupplier compiledMillis;
    private long compiled;
    private long lastSlice;
    private int quiet;

    /**
     * A watch over {@code compiledMillis} (milliseconds compiled so far, or -1 if it cannot tell), its first slice
     * starting now.
     */
    JitWatch(LongSupplier compiledMillis) {
        this.compiledMillis = compiledMillis;
        this.compiled = compiledMillis.getAsLong();
    }

    /**
     * A watch over {@code compiledMillis}, milliseconds compiled so far (by one JVM or several, summed) or -1 if it
     * cannot tell, its first slice starting now: what the load harness waits on when our server runs in a JVM of
     * its own.
     */
    public static JitWatch of(LongSupplier compiledMillis) {
        return new JitWatch(compiledMillis);
    }

    /** Milliseconds this JVM has spent compiling so far (every compiler thread), or -1 if it cannot tell. */
    public static LongSupplier thisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : () -> -1;
    }

    /**
     * Waits in one-second slices until the JIT has settled or {@code max} has passed, and says whether it settled;
     * at once, false, where it cannot tell. What a warm start does once its load has stopped: under load on two
     * cores, a JVM's one C2 thread ran up to two minutes behind its queue, and what it had left would otherwise
     * compile during the real server's first requests and take their CPU (docs/performance.md, "The compiler's queue
     * behind the warm start").
     */
    public boolean awaitSettled(Duration max) throws InterruptedException {
        return canTell() && awaitSettled(max, () -> false);
    }

    /**
     * Waits in one-second slices until the JIT has settled (true), {@code stop} says so (false) or {@code max} has
     * passed (false); where it cannot tell, until {@code stop} or {@code max}. Only a whole slice counts toward
     * settling: a last, shorter one, with less time to compile in, would look quieter than it is. What a twin of
     * {@link WarmStart} runs for.
     */
    boolean awaitSettled(Duration max, BooleanSupplier stop) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, Math.min(1_000, left / 1_000_000)));
            if (stop.getAsBoolean()) {
                return false;
            }
            if (left >= 1_000_000_000L && sliceEnded()) {
                return true;
            }
        }
        return false;
    }

    /** Whether compilation time can be read here; where not, the JIT never counts as settled. */
    public boolean canTell() {
        return compiled >= 0;
    }

    /** Ends a slice and starts the next: whether the JIT has now settled (never where it cannot tell). */
    public boolean sliceEnded() {
        if (!canTell()) {
            return false;
        }
        long now = compiledMillis.getAsLong();
        lastSlice = now - compiled;
        compiled = now;
        quiet = lastSlice <= SETTLED_MILLIS ? quiet + 1 : 0;
        return quiet >= QUIET_SLICES;
    }

    /** What the JIT compiled in the slice that ended last (ms). */
    public long lastSliceMillis() {
        return lastSlice;
    }
}
