package io.github.mcpoauth.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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

    /**
     * The threads of this JVM whose name starts with {@code prefix} (the example's pool: {@code example-http}),
     * summed as what each used since the meter's last read: a thread that ended between two reads keeps what it was
     * counted for (a sum over the live threads lost a pool thread's whole past when Jetty ended it, idle for 60 s,
     * during a measurement, and printed a negative figure as {@code -}); only its CPU since the last read is lost.
     */
    static CpuMeter threads(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> seen = new HashMap<>();
        long[] total = new long[1];
        return () -> {
            synchronized (seen) {
                Map<Long, Long> now = new HashMap<>();
                for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                    if (info != null && info.getThreadName().startsWith(prefix)) {
                        long cpu = mx.getThreadCpuTime(info.getThreadId());
                        if (cpu >= 0) { // -1: ended since listed
                            total[0] += cpu - seen.getOrDefault(info.getThreadId(), 0L);
                            now.put(info.getThreadId(), cpu);
                        }
                    }
                }
                seen.clear();
                seen.putAll(now);
                return total[0];
            }
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
