package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.benchmarks.scale.GrantHeap;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.JitWatch;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The scale harness (issue 13, "flat at scale"): for each store (in memory, PostgreSQL) and each size (1k, 100k,
 * 1M stored grants by default), preloads the stores ({@link PreloadedStores}), starts the Jetty example on them
 * (rate limits off), and measures registration, full flow, refresh and guarded {@code tools/list} with the load
 * harness's operations ({@link HttpTarget}); prints ops/s, p50/p99 and the ratio to the smallest size's figure, with
 * the budget (within 20%) {@code ok}/{@code MISSED}; then heap per in-memory grant ({@link GrantHeap}) against its
 * budget (1 KiB). Run as documented in docs/performance.md:
 * {@code java -Xmx3g -cp benchmarks/target/benchmarks.jar io.github.mcpoauth.benchmarks.load.ScaleHarness}.
 */
public final class ScaleHarness {

    /** Flat: every size within this fraction of the smallest size's throughput. */
    static final double FLAT = 0.80;
    /** Heap per active in-memory grant. */
    static final long HEAP_BUDGET = 1024;

    /**
     * One run's options.
     *
     * @param kinds      the stores measured
     * @param sizes      grants preloaded, smallest first
     * @param clients    concurrent workers
     * @param warmup     the shortest unrecorded run of each operation before its rounds
     * @param warmupMax  the longest: the warm-up runs until the JIT has settled ({@link JitSettle}), between the two
     * @param measure    time bound of each measurement
     * @param maxOps     count bound of each measurement
     * @param heapGrants grants of the heap measurement (0: none)
     * @param rounds     measurements of each operation on each size (the best is kept)
     */
    record Options(List<PreloadedStores.Kind> kinds, List<Integer> sizes, int clients, Duration warmup,
            Duration warmupMax, Duration measure, int maxOps, int heapGrants, int rounds) {

        Options {
            warmupMax = warmupMax.compareTo(warmup) < 0 ? warmup : warmupMax; // never shorter than the shortest
        }

        /** A few seconds: one small size, one client, one round, a fixed short warm-up, no heap figure. */
        static Options smoke(List<PreloadedStores.Kind> kinds) {
            return new Options(kinds, List.of(100), 1, Duration.ofMillis(100), Duration.ofMillis(100),
                    Duration.ofMillis(200), 100, 0, 1);
        }

        static Options defaults() {
            return new Options(List.of(PreloadedStores.Kind.values()), List.of(1_000, 100_000, 1_000_000), 16,
                    Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ofSeconds(4), 100_000, 100_000, 2);
        }

        /**
         * {@code --stores memory,postgres --sizes 1000,100000 --clients N --warmup S --warmup-max S --seconds S
         * --heap N}.
         */
        static Options parse(String... args) {
            Options d = defaults();
            List<PreloadedStores.Kind> kinds = d.kinds;
            List<Integer> sizes = d.sizes;
            int clients = d.clients;
            Duration warmup = d.warmup;
            Duration warmupMax = d.warmupMax;
            Duration measure = d.measure;
            int heapGrants = d.heapGrants;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("no value after " + args[i]);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--stores" -> kinds = Arrays.stream(v.split(","))
                            .map(k -> PreloadedStores.Kind.valueOf(k.trim().toUpperCase(Locale.ROOT))).toList();
                    case "--sizes" -> sizes = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf)
                            .sorted().toList();
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(v));
                    case "--warmup-max" -> warmupMax = Duration.ofSeconds(Long.parseLong(v));
                    case "--seconds" -> measure = Duration.ofSeconds(Long.parseLong(v));
                    case "--heap" -> heapGrants = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(kinds, sizes, clients, warmup, warmupMax, measure, d.maxOps, heapGrants, d.rounds);
        }
    }

    /** One measured operation on one store at one size. */
    record Row(PreloadedStores.Kind kind, int size, String operation, Measurement measurement) {
    }

    /** Heap per in-memory grant after {@code rotations} rotations each. */
    record Heap(int grants, int rotations, long bytesPerGrant) {
    }

    private ScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        long start = System.nanoTime();
        // first, on a clean heap
        List<Heap> heap = heap(options.heapGrants());
        List<Row> rows = run(options, System.out::println);
        System.out.println(table(rows));
        System.out.println(budgets(rows, heap));
        System.out.printf("took %d s%n", Duration.ofNanos(System.nanoTime() - start).toSeconds());
        // the MCP Java SDK leaves a non-daemon session sweeper thread behind its closed transport
        System.exit(0);
    }

    static List<Heap> heap(int grants) {
        List<Heap> out = new ArrayList<>();
        if (grants > 0) {
            for (int rotations : new int[] {0, 1, 4, GrantStore.ROTATED_HASHES_KEPT}) {
                out.add(new Heap(grants, rotations, GrantHeap.bytesPerGrant(grants, rotations)));
            }
        }
        return out;
    }

    static List<Row> run(Options o, Consumer<String> progress) throws Exception {
        List<Row> rows = new ArrayList<>();
        EmbeddedPostgres postgres = o.kinds().contains(PreloadedStores.Kind.POSTGRES)
                ? PreloadedStores.startPostgres() : null;
        try {
            for (PreloadedStores.Kind kind : o.kinds()) {
                rows.addAll(run(o, kind, postgres, progress));
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
        return rows;
    }

    /** One size's stores, the example started on them, and its workers. */
    private record Side(int size, PreloadedStores stores, RunningExample server, HttpTarget target,
            List<HttpTarget.Client> clients) {
    }

    /**
     * Every size of one kind at once (stores preloaded, one example each); each operation measured on the sizes in
     * turn, {@code rounds} times, the best round kept (a round with errors is kept instead), after a warm-up on the
     * first size until the JIT has settled ({@link JitSettle}): a shared machine's changing load then weighs on every
     * size alike, and no size is measured while C2 is still compiling.
     */
    private static List<Row> run(Options o, PreloadedStores.Kind kind, EmbeddedPostgres postgres,
            Consumer<String> progress) throws Exception {
        List<Side> sides = new ArrayList<>();
        try {
            for (int size : o.sizes()) {
                long t0 = System.nanoTime();
                Clock clock = Clock.systemUTC();
                PreloadedStores stores = kind == PreloadedStores.Kind.MEMORY ? PreloadedStores.memory(size, clock)
                        : PreloadedStores.postgres(postgres, size, clock);
                RunningExample server = null;
                HttpTarget target;
                try {
                    server = ExampleServer.start(ExampleConfig.ephemeral()
                            .withAuthorizationInstaller((ctx, issuer) -> UnlimitedAuthorization.install(ctx, issuer,
                                    stores.stores(), 1)));
                    // the lean generator, as in the load harness: every size is driven alike, and the ratios
                    // between sizes are what this harness reports
                    target = HttpTarget.discover("mcp-oauth", server.baseUri(), server.mcpUri(), "mcp", true,
                            HttpSender.Kind.LEAN);
                } catch (Exception | Error e) {
                    if (server != null) {
                        server.close();
                    }
                    stores.close();
                    throw e;
                }
                Side side = new Side(size, stores, server, target, new ArrayList<>());
                sides.add(side);
                for (int i = 0; i < o.clients(); i++) {
                    side.clients().add(target.newClient());
                }
                progress.accept(String.format("%s, %,d grants preloaded and served in %d ms", kind, size,
                        Duration.ofNanos(System.nanoTime() - t0).toMillis()));
            }
            List<Row> rows = new ArrayList<>();
            rows.addAll(each(o, kind, sides, "full flow", s -> s.target()::flow));
            rows.addAll(each(o, kind, sides, "refresh", s -> s.target()::refresh));
            for (Side s : sides) {
                for (HttpTarget.Client c : s.clients()) {
                    s.target().openMcpSession(c);
                }
            }
            rows.addAll(each(o, kind, sides, "guarded tools/list", s -> c -> s.target().toolsList(c.accessToken, c)));
            // last: the in-memory client store is bounded (10,000), registrations evict the workers' clients
            rows.addAll(each(o, kind, sides, "registration", s -> c -> s.target().register()));
            progress.accept(kind + ": " + rows.stream().map(r -> r.operation() + " " + r.size() + " "
                    + Math.round(r.measurement().opsPerSecond()) + "/s").toList());
            return rows;
        } finally {
            for (Side s : sides) {
                s.server().close();
                s.stores().close();
            }
        }
    }

    private static List<Row> each(Options o, PreloadedStores.Kind kind, List<Side> sides, String operation,
            java.util.function.Function<Side, Measurement.Op<HttpTarget.Client>> op) throws Exception {
        Measurement[] kept = new Measurement[sides.size()];
        // the sizes share one JVM's code: once the JIT has settled on the first, none is measured mid-compilation
        JitSettle.untilSettled(operation, sides.get(0).clients(), op.apply(sides.get(0)), JitWatch.thisJvm(),
                o.warmup(), o.warmupMax());
        for (int round = 0; round < o.rounds(); round++) {
            for (int i = 0; i < sides.size(); i++) {
                Side side = sides.get(i);
                Measurement.run(operation, side.clients(), Integer.MAX_VALUE, o.warmup(), op.apply(side));
                Measurement m = Measurement.run(operation, side.clients(), o.maxOps(), o.measure(), op.apply(side));
                if (kept[i] == null || (kept[i].errors() == 0
                        && (m.errors() > 0 || m.opsPerSecond() > kept[i].opsPerSecond()))) {
                    kept[i] = m;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            rows.add(new Row(kind, sides.get(i).size(), operation, kept[i]));
        }
        return rows;
    }

    /** Per store and operation, each size's ops/s, p50/p99 and ratio to the smallest size. */
    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format("%-9s %-20s %10s | %9s %17s %4s | %6s%n", "store",
                "operation", "grants", "ops/s", "p50/p99 ms", "err", "vs 1st"));
        for (Row r : rows) {
            Measurement m = r.measurement();
            out.append(String.format("%-9s %-20s %,10d | %9.0f %8.2f/%8.2f %4d | %6.2f%n",
                    r.kind().name().toLowerCase(Locale.ROOT), r.operation(), r.size(), m.opsPerSecond(),
                    m.p50Micros() / 1000, m.p99Micros() / 1000, m.errors(), ratioToSmallest(rows, r)));
        }
        return out.toString();
    }

    static double ratioToSmallest(List<Row> rows, Row r) {
        Row first = rows.stream().filter(x -> x.kind() == r.kind() && x.operation().equals(r.operation()))
                .findFirst().orElseThrow();
        double base = first.measurement().opsPerSecond();
        return base <= 0 ? 0 : r.measurement().opsPerSecond() / base;
    }

    /** Every budget with {@code ok} or {@code MISSED}. */
    static String budgets(List<Row> rows, List<Heap> heap) {
        StringBuilder out = new StringBuilder("budgets (issue 13, flat at scale):\n");
        for (Row r : rows) {
            double ratio = ratioToSmallest(rows, r);
            boolean smallest = rows.stream().filter(x -> x.kind() == r.kind()
                    && x.operation().equals(r.operation())).findFirst().orElseThrow() == r;
            if (!smallest) {
                out.append(String.format("  %-9s %-20s %,10d grants  %5s of the smallest (budget >= %.2f) %s%n",
                        r.kind().name().toLowerCase(Locale.ROOT), r.operation(), r.size(), Report.roundedDown(ratio, 2),
                        FLAT, ratio >= FLAT ? "ok" : "MISSED"));
            }
        }
        int errors = rows.stream().mapToInt(r -> r.measurement().errors()).sum();
        out.append(String.format("  errors %,d  %s%n", errors, errors == 0 ? "ok" : "MISSED"));
        for (Row r : rows) {
            if (r.measurement().errors() > 0) {
                out.append(String.format("    %s %s %,d: %d, the first: %s%n", r.kind().name().toLowerCase(Locale.ROOT),
                        r.operation(), r.size(), r.measurement().errors(), r.measurement().firstError()));
            }
        }
        for (Heap h : heap) {
            out.append(String.format("  heap per in-memory grant, %,d grants, %2d rotations each: %,6d bytes"
                    + " (budget <= %d) %s%n", h.grants(), h.rotations(), h.bytesPerGrant(), HEAP_BUDGET,
                    h.bytesPerGrant() <= HEAP_BUDGET ? "ok" : "MISSED"));
        }
        return out.toString();
    }
}
