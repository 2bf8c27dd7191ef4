package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.examples.jetty.JitWatch;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What this JVM's compiler and collectors had done by a moment: read before a measurement, then {@link #since()}
 * says what they did during it, as the harness prints beside each measurement (the JIT compiling or the GC
 * collecting in a measured window take their share of the cores from the server and the generator).
 *
 * @param compiledMillis milliseconds compiled so far (every compiler thread), or -1 where it cannot be read
 * @param collections    garbage collections so far, every collector summed
 * @param collectedMillis milliseconds they took so far
 */
record JvmActivity(long compiledMillis, long collections, long collectedMillis) {

    /** What the JIT and the GC have done so far. */
    static JvmActivity now() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new JvmActivity(JitWatch.thisJvm().getAsLong(), count, millis);
    }

    /**
     * This activity as one line, {@code <compiledMillis> <collections> <collectedMillis>}: how a child JVM answers
     * ({@link SeparateExample}).
     */
    String toLine() {
        return compiledMillis + " " + collections + " " + collectedMillis;
    }

    /** The activity {@link #toLine()} wrote. */
    static JvmActivity parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 3) {
            throw new IllegalArgumentException("not a JVM's activity: " + line);
        }
        return new JvmActivity(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }

    /** What they did from this moment to now: "the JIT compiled N ms, the GC collected N times (N ms)". */
    String since() {
        return since(now());
    }

    /** What they did from this moment to {@code now}, read later from the same JVM. */
    String since(JvmActivity now) {
        return "the JIT compiled " + (compiledMillis < 0 ? "? " : now.compiledMillis - compiledMillis + " ")
                + "ms, the GC collected " + (now.collections - collections) + " times ("
                + (now.collectedMillis - collectedMillis) + " ms)";
    }
}
