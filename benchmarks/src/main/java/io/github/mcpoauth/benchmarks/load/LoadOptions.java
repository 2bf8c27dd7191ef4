package io.github.mcpoauth.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one harness run does: {@code clients} concurrent workers per side, each operation warmed up until the JIT
 * has settled (between {@code warmup} and {@code warmupMax}) and then measured for at most {@code measure} or
 * {@code maxOps} operations, {@code coldFlows} full flows measured on the fresh servers first, and
 * {@code firstSight} new tokens each used once.
 *
 * @param clients    concurrent workers per server
 * @param warmup     the shortest unrecorded run of each operation before its measurement
 * @param warmupMax  the longest: our side's warm-up runs until the JIT has settled ({@link JitSettle}), between
 *                   the two; the reference's lasts as long as ours did
 * @param measure    time bound of each measurement
 * @param maxOps     count bound of each measurement
 * @param coldFlows  full flows measured right after start (the cold start cost)
 * @param firstSight new tokens, each sent once through the guard
 * @param interopDir the directory whose {@code node_modules} holds the MCP TypeScript SDK
 * @param warmUpFlows the flows our server runs on itself at start ({@code AuthorizationServer.Builder.warmUpFlows});
 *                   by default the library's default without a warm start, none after one (as the example's
 *                   server after its warm start: {@code ExampleServer.warmStartedAuthorization})
 * @param httpClient the generator's HTTP client, the same on every side ({@link HttpSender.Kind#LEAN} by default)
 * @param warmStart  how long our server is warmed up on a throwaway twin before it starts ({@code WarmStart} of the
 *                   example; zero by default: the "fresh server" row then measures a plain start)
 * @param separateServerJvm whether our server runs in a JVM of its own ({@code --server-jvm separate}, the
 *                   default, its warm start there too) rather than in the harness's ({@code same})
 */
record LoadOptions(int clients, Duration warmup, Duration warmupMax, Duration measure, int maxOps, int coldFlows,
        int firstSight, Path interopDir, int warmUpFlows, HttpSender.Kind httpClient, Duration warmStart,
        boolean separateServerJvm) {

    /**
     * The warm-up at start the harness gives our server by default: the library's own default (one flow), so that
     * the "fresh server" row measures what a user gets (docs/performance.md, cold start).
     */
    static final int WARM_UP_FLOWS = 1;

    LoadOptions {
        if (clients < 1 || maxOps < 1 || coldFlows < 1 || firstSight < 1 || warmUpFlows < 0) {
            throw new IllegalArgumentException("clients, maxOps, coldFlows and firstSight must be positive, "
                    + "warmUpFlows not negative");
        }
        java.util.Objects.requireNonNull(httpClient, "httpClient");
        if (warmStart.isNegative()) {
            throw new IllegalArgumentException("warmStart must not be negative");
        }
        warmupMax = warmupMax.compareTo(warmup) < 0 ? warmup : warmupMax; // never shorter than the shortest
    }

    /**
     * The documented run: 32 clients, a warm-up of 20 to 90 s (until the JIT has settled) and 10 s (or 500,000
     * operations: the fastest operations run about 40,000 a second) per measurement, our server in a JVM of its own
     * as in production (its JIT and GC its own, not the generator's, and counted as its CPU as the reference's are;
     * docs/performance.md, "The rehearsal and the handed-over threads"). At least 20 s: after a warm
     * start the JIT went quiet for two seconds early and then compiled again during the measurement (0.4 to 0.8 s
     * during 10 s of full flows after a warm-up of 5 to 11 s; 66 ms after one of 20 s).
     */
    static LoadOptions defaults() {
        return new LoadOptions(32, Duration.ofSeconds(20), Duration.ofSeconds(90), Duration.ofSeconds(10), 500_000,
                1_000, 1_000, findInterop(), WARM_UP_FLOWS, HttpSender.Kind.LEAN, Duration.ZERO, true);
    }

    /** The smoke run {@code mvn verify} makes: a few seconds in all. */
    static LoadOptions smoke(Path interopDir) {
        return new LoadOptions(2, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1), 200, 10, 20,
                interopDir, 1, HttpSender.Kind.LEAN, Duration.ZERO, false);
    }

    /** These options with our server in a JVM of its own, warmed up for {@code warmStart} before it starts. */
    LoadOptions inSeparateJvm(Duration warmStart) {
        return new LoadOptions(clients, warmup, warmupMax, measure, maxOps, coldFlows, firstSight, interopDir,
                warmUpFlows, httpClient, warmStart, true);
    }

    /**
     * {@code --clients N --warmup S --warmup-max S --seconds S --max-ops N --cold-flows N --first-sight N --interop DIR
     * --warm-up-flows N --http-client lean|jdk --warm-start S --server-jvm same|separate}.
     */
    static LoadOptions parse(String... args) {
        LoadOptions d = defaults();
        int clients = d.clients;
        Duration warmup = d.warmup;
        Duration warmupMax = d.warmupMax;
        Duration measure = d.measure;
        int maxOps = d.maxOps;
        int coldFlows = d.coldFlows;
        int firstSight = d.firstSight;
        Path interopDir = d.interopDir;
        Integer warmUpFlows = null; // by default: it depends on the warm start
        HttpSender.Kind httpClient = d.httpClient;
        Duration warmStart = d.warmStart;
        boolean separateServerJvm = d.separateServerJvm;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(v);
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(v));
                case "--warmup-max" -> warmupMax = Duration.ofSeconds(Long.parseLong(v));
                case "--seconds" -> measure = Duration.ofSeconds(Long.parseLong(v));
                case "--max-ops" -> maxOps = Integer.parseInt(v);
                case "--cold-flows" -> coldFlows = Integer.parseInt(v);
                case "--first-sight" -> firstSight = Integer.parseInt(v);
                case "--interop" -> interopDir = Path.of(v);
                case "--warm-up-flows" -> warmUpFlows = Integer.parseInt(v);
                case "--http-client" -> httpClient = HttpSender.Kind.parse(v);
                case "--warm-start" -> warmStart = Duration.ofSeconds(Long.parseLong(v));
                case "--server-jvm" -> separateServerJvm = switch (v) {
                    case "same" -> false;
                    case "separate" -> true;
                    default -> throw new IllegalArgumentException("--server-jvm is same or separate: " + v);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new LoadOptions(clients, warmup, warmupMax, measure, maxOps, coldFlows, firstSight, interopDir,
                warmUpFlows != null ? warmUpFlows : warmStart.isZero() ? d.warmUpFlows : 0, httpClient, warmStart,
                separateServerJvm);
    }

    private static Path findInterop() {
        for (Path p : new Path[] {Path.of("interop"), Path.of("../interop")}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("interop");
    }
}
