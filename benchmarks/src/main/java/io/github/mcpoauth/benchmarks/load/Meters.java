package io.github.mcpoauth.benchmarks.load;

/**
 * What reads each side of a {@link LoadHarness} run: our server (its CPU time, the generator's beside it, its JIT and
 * GC) and the reference's CPU time (its process).
 */
record Meters(OurServer server, CpuMeter reference) {

    CpuMeter ours() {
        return server.cpu();
    }

    CpuMeter generator() {
        return server.generator();
    }
}
