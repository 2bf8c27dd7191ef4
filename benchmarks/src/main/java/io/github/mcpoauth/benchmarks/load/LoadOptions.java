package io.github.mcpoauth.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one harness run does: {@code clients} concurrent workers per side, each operation warmed up for
 * {@code warmup} and then measured for at most {@code measure} or {@code maxOps} operations, {@code coldFlows} full
 * flows measured on the fresh servers first, and {@code firstSight} new tokens each used once.
 *
 * @param clients    concurrent workers per server
 * @param warmup     unrecorded run of each operation before its measurement
 * @param measure    time bound of each measurement
 * @param maxOps     count bound of each measurement
 * @param coldFlows  full flows measured right after start (the cold start cost)
 * @param firstSight new tokens, each sent once through the guard
 * @param interopDir the directory whose {@code node_modules} holds the MCP TypeScript SDK
 * @param warmUpFlows the flows our server runs on itself at start ({@code AuthorizationServer.Builder.warmUpFlows})
 * @param httpClient the generator's HTTP client, the same on every side ({@link HttpSender.Kind#LEAN} by default)
 */
record LoadOptions(int clients, Duration warmup, Duration measure, int maxOps, int coldFlows, int firstSight,
        Path interopDir, int warmUpFlows, HttpSender.Kind httpClient) {

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
    }

    /** The documented run: 32 clients, 5 s warm-up and 10 s (or 100,000 operations) per measurement. */
    static LoadOptions defaults() {
        return new LoadOptions(32, Duration.ofSeconds(5), Duration.ofSeconds(10), 100_000, 1_000, 1_000,
                findInterop(), WARM_UP_FLOWS, HttpSender.Kind.LEAN);
    }

    /** The smoke run {@code mvn verify} makes: a few seconds in all. */
    static LoadOptions smoke(Path interopDir) {
        return new LoadOptions(2, Duration.ofMillis(200), Duration.ofSeconds(1), 200, 10, 20, interopDir, 1,
                HttpSender.Kind.LEAN);
    }

    /**
     * {@code --clients N --warmup S --seconds S --max-ops N --cold-flows N --first-sight N --interop DIR
     * --warm-up-flows N --http-client lean|jdk}.
     */
    static LoadOptions parse(String... args) {
        LoadOptions o = defaults();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value after " + args[i]);
            }
            String v = args[i + 1];
            o = switch (args[i]) {
                case "--clients" -> new LoadOptions(Integer.parseInt(v), o.warmup, o.measure, o.maxOps, o.coldFlows,
                        o.firstSight, o.interopDir, o.warmUpFlows, o.httpClient);
                case "--warmup" -> new LoadOptions(o.clients, Duration.ofSeconds(Long.parseLong(v)), o.measure,
                        o.maxOps, o.coldFlows, o.firstSight, o.interopDir, o.warmUpFlows, o.httpClient);
                case "--seconds" -> new LoadOptions(o.clients, o.warmup, Duration.ofSeconds(Long.parseLong(v)),
                        o.maxOps, o.coldFlows, o.firstSight, o.interopDir, o.warmUpFlows, o.httpClient);
                case "--max-ops" -> new LoadOptions(o.clients, o.warmup, o.measure, Integer.parseInt(v), o.coldFlows,
                        o.firstSight, o.interopDir, o.warmUpFlows, o.httpClient);
                case "--cold-flows" -> new LoadOptions(o.clients, o.warmup, o.measure, o.maxOps, Integer.parseInt(v),
                        o.firstSight, o.interopDir, o.warmUpFlows, o.httpClient);
                case "--first-sight" -> new LoadOptions(o.clients, o.warmup, o.measure, o.maxOps, o.coldFlows,
                        Integer.parseInt(v), o.interopDir, o.warmUpFlows, o.httpClient);
                case "--interop" -> new LoadOptions(o.clients, o.warmup, o.measure, o.maxOps, o.coldFlows,
                        o.firstSight, Path.of(v), o.warmUpFlows, o.httpClient);
                case "--warm-up-flows" -> new LoadOptions(o.clients, o.warmup, o.measure, o.maxOps, o.coldFlows,
                        o.firstSight, o.interopDir, Integer.parseInt(v), o.httpClient);
                case "--http-client" -> new LoadOptions(o.clients, o.warmup, o.measure, o.maxOps, o.coldFlows,
                        o.firstSight, o.interopDir, o.warmUpFlows, HttpSender.Kind.parse(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            };
        }
        return o;
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
