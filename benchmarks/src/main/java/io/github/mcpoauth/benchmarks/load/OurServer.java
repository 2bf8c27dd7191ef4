package io.github.mcpoauth.benchmarks.load;

import java.net.URI;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Our measured server as the load harness drives it: the Jetty example (in-memory stores, every rate limit off, its
 * MCP servlet also at {@value LoadHarness#UNGUARDED_PATH} without the guard), started in the harness's own JVM
 * ({@link InProcessExample}) or in a JVM of its own ({@link SeparateExample#measured}, {@code --server-jvm
 * separate}), and what the harness reads of it: its CPU time, the generator's beside it, and what the JIT and GC did.
 */
interface OurServer extends AutoCloseable {

    URI baseUri();

    default URI mcpUri() {
        return URI.create(baseUri() + io.github.mcpoauth.examples.jetty.ExampleServer.MCP_PATH);
    }

    /** The server's CPU time: always the same meter (a meter may keep what it has read). */
    CpuMeter cpu();

    /** The harness JVM's CPU time outside the server: the generator, and the JIT and GC of its JVM. */
    CpuMeter generator();

    /**
     * Milliseconds compiled so far by every JIT the warm-ups wait for: the harness JVM's, and the server's where it
     * runs in a JVM of its own; -1 if it cannot tell ({@link io.github.mcpoauth.examples.jetty.JitWatch}).
     */
    LongSupplier compiledMillis();

    /**
     * Reads the JIT's and the GC's activity now; the supplier returned says, when called later, what they did in
     * between ("the JIT compiled N ms, the GC collected N times (N ms)", per JVM where there are two).
     */
    Supplier<String> activityFromNow();

    @Override
    void close();
}
