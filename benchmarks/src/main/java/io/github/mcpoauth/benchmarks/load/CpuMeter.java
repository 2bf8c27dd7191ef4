package io.github.mcpoauth.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The CPU time a server has used so far, read before and after a measurement: per operation, it compares the two
 * servers on a machine too busy for ops/s to mean much (the CPU an operation costs does not grow with the load of
 * other processes, its wall time does). Ours: the CPU time of the example's request threads in this JVM; the
 * reference: the CPU time of its node process.
 */
@FunctionalInterface
interface CpuMeter {

    /** CPU nanoseconds used so far; only differences are meaningful. */
    long cpuNanos();

    /** The threads of this JVM whose name starts with {@code prefix} (the example's pool: {@code example-http}). */
    static CpuMeter threads(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return () -> {
            long total = 0;
            for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith(prefix)) {
                    long cpu = mx.getThreadCpuTime(info.getThreadId());
                    total += Math.max(0, cpu);
                }
            }
            return total;
        };
    }

    /**
     * This JVM's CPU time outside {@code server} (the example's threads): the generator (workers, HTTP client) and
     * what the JVM does beside it (GC, JIT), as the operating system accounts the process.
     */
    static CpuMeter jvmExcept(CpuMeter server) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return () -> os.getProcessCpuTime() - server.cpuNanos();
    }

    /** Another process (the node reference server), as the operating system accounts it. */
    static CpuMeter process(ProcessHandle process) {
        return () -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
