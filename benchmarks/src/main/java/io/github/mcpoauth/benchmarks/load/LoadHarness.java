package io.github.mcpoauth.benchmarks.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.JitWatch;
import io.github.mcpoauth.examples.jetty.ServerPools;
import io.github.mcpoauth.examples.jetty.WarmStart;

/**
 * The side-by-side HTTP load harness (issue 13): starts the Jetty example (in memory, rate limits off; its MCP
 * servlet also mounted without the guard at {@value #UNGUARDED_PATH}, the unguarded baseline on the same server; in
 * a JVM of its own or, with {@code --server-jvm same}, in this one: {@link OurServer}) and the MCP TypeScript
 * SDK's reference authorization server (node, rate limits off), all on loopback; drives the same
 * operations against ours and the reference from the same number of concurrent clients, each warmed up until the
 * JIT has settled ({@link JitSettle}) and the guarded, unguarded and token-header-alone {@code tools/list} measured
 * in turns ({@link Interleaved}); prints ops/s, p50/p99, errors and the ratio per operation, then the budgets.
 * Run it as documented in docs/performance.md:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.mcpoauth.benchmarks.load.LoadHarness}.
 */
public final class LoadHarness {

    /** One printed line: an operation measured on ours and (when it exists there) on the reference. */
    record Row(String operation, Measurement ours, Measurement reference) {
    }

    /**
     * The shortest warm-up of the generator (shorter than the operations' {@code --warmup} if that is longer): it
     * ends once the JIT has settled, so that our server starts as soon after its warm start as it can, as it would
     * in production.
     */
    private static final Duration GENERATOR_WARM_UP_MIN = Duration.ofSeconds(5);

    /** The guarded {@code tools/list} row. */
    static final String GUARDED = "guarded tools/list, known token";

    /** The rounds of the {@code tools/list} turns ({@link Interleaved}), each turn {@link #TURN_SHARE} of the time. */
    private static final int TURNS = 30;
    private static final int TURN_SHARE = 10; // a turn is a tenth of the measurement time (and of its count bound)

    /** The runs of {@code --cold-flows} full flows at steady state, item 2's yardstick ({@link #sides}). */
    static final int STEADY_RUNS = 11;

    /** The row of the median of the {@link #STEADY_RUNS}: item 2's yardstick. */
    static final String STEADY_MEDIAN = "full flow, steady, median";

    /** The row of the slowest of the {@link #STEADY_RUNS}: how far one run of 1,000 on a warm server can fall. */
    static final String STEADY_SLOWEST = "full flow, steady, slowest";

    /**
     * Where our server also serves its MCP endpoint without the guard: the baseline of the guard's cost on the same
     * server (same connector, threads and MCP sessions), as issue 13 words the budget. The MCP Java SDK's transport
     * answers any path ending in its endpoint ({@code /mcp}); the guard covers {@code /mcp} alone. Only the harness
     * mounts it.
     */
    static final String UNGUARDED_PATH = "/unguarded" + ExampleServer.MCP_PATH;

    /** The unguarded {@code tools/list} row. */
    static final String UNGUARDED = "unguarded tools/list (same server)";

    /** The row of unguarded requests carrying a token's header: the transport's share of the guard's cost. */
    static final String HEADER_ONLY = "token header alone (unguarded + Authorization)";

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    static {
        // before any server starts: they build JDK HttpClients, and the first one fixes the pool's keep-alive
        HttpTarget.keepPooledConnectionsBriefly();
    }

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options = LoadOptions.parse(args);
        // the reference logs nothing per request; ours would log an audit line per token at INFO
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        // timed progress lines, so that a profile of the run (JFR) can be cut by phase
        List<Row> rows;
        try {
            rows = run(options, line -> System.out.println(java.time.LocalTime.now().format(TIME) + " " + line));
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // not a hang: the MCP Java SDK's non-daemon sweeper thread would keep the JVM up
            return;
        }
        System.out.println("generator: " + options.httpClient().description());
        System.out.println(Report.table(rows));
        System.out.println(Report.budgets(rows));
        // the MCP Java SDK leaves a non-daemon session sweeper thread behind its closed transport
        System.exit(0);
    }

    /** Runs every operation on both sides; {@code progress} hears what is going on. */
    static List<Row> run(LoadOptions o, java.util.function.Consumer<String> progress) throws Exception {
        String fresh = o.warmStart().isZero() ? "full flow, fresh server (first " + o.coldFlows() + ")"
                : "full flow, warmed " + o.warmStart().toSeconds() + " s (first " + o.coldFlows() + ")";
        try (ReferenceServer ref = ReferenceServer.start(o.interopDir())) {
            HttpSender.Kind client = o.httpClient();
            // the options (a record's toString, its method handles spun on first use) here rather than next to our
            // first flows: their bytecode generation queued C2 compilations of ASM that ran during those flows
            progress.accept("generator: " + client.description() + ", --http-client "
                    + client.name().toLowerCase(java.util.Locale.ROOT) + "; " + o);
            loadLocaleData();
            HttpTarget them = HttpTarget.discover("ts-reference", ref.baseUri(), ref.mcpUri(), "mcp:tools", false,
                    client);
            // the reference's clients before ours starts and before the generator's warm-up: its pages and answers
            // are shaped otherwise than ours, and setting them up between our start and our first flows sent the
            // generator's compiled code back to the interpreter during those flows
            List<HttpTarget.Client> theirClients = them.newClients(o.clients(), progress);
            // ours last, right after its warm start (if any) and the generator's: nothing else starts between it and
            // its first flows
            try (OurServer ours = startOurs(o, progress)) {
                HttpTarget us = HttpTarget.discover("mcp-oauth", ours.baseUri(), ours.mcpUri(), "mcp", true, client);
                HttpTarget unguarded = HttpTarget.discover("unguarded", null, URI.create(ours.baseUri()
                        + UNGUARDED_PATH), "mcp", true, client);
                progress.accept("mcp-oauth " + ours.baseUri() + " (unguarded at " + UNGUARDED_PATH + "), TS reference "
                        + ref.baseUri());

                List<HttpTarget.Client> ourClients = us.newClients(o.clients(), progress);
                Meters cpu = new Meters(ours, ref.cpu());
                List<Row> rows = new ArrayList<>();
                progress.accept("measuring the first " + o.coldFlows() + " full flows on mcp-oauth");
                us.connect(o.clients()); // a connection per worker, as on the warm-up's and every other row's start
                java.util.function.Supplier<String> meanwhile = ours.activityFromNow();
                Measurement ourFirst = firstFlows(o, us, ourClients, flows(us), cpu.ours(), cpu.generator());
                progress.accept("measured them (" + ourFirst.brief() + "); meanwhile " + meanwhile.get());
                progress.accept("measuring the first " + o.coldFlows() + " full flows on ts-reference");
                them.connect(o.clients());
                rows.add(new Row(fresh, ourFirst, firstFlows(o, them, theirClients, flows(them), cpu.reference(),
                        cpu.generator())));
                rows.addAll(sides(o, cpu, progress, "full flow (authorize + code exchange)", us, ourClients,
                        flows(us), them, theirClients, flows(them), STEADY_RUNS));
                rows.add(side(o, cpu, progress, "refresh (rotation)", us, ourClients, us::refresh, them, theirClients,
                        them::refresh));
                rows.addAll(toolsList(o, cpu, progress, us, ourClients, unguarded, them, theirClients));
                rows.add(new Row("guarded tools/list, first sight of a new token",
                        firstSight(o, progress, us, ourClients, cpu.ours(), cpu.generator()),
                        firstSight(o, progress, them, theirClients, cpu.reference(), cpu.generator())));
                // last: ours keeps at most InMemoryStores.MAX_CLIENTS (10,000) clients, so tens of thousands of
                // registrations evict the workers' clients
                rows.add(side(o, cpu, progress, "registration", us, ourClients, c -> us.register(), them, theirClients,
                        c -> them.register()));
                progress.accept(String.format(java.util.Locale.ROOT, "connection retries in the whole run (set-up and "
                        + "warm-ups included): mcp-oauth %d, unguarded %d, TS reference %d", us.retries(),
                        unguarded.retries(), them.retries()));
                return rows;
            }
        }
    }

    /**
     * Loads what a {@link java.util.Formatter}'s first use loads ({@code String.format}, which the warm-ups' outcomes
     * and the report print with): the JDK's locale data, strings outside Latin-1 among them, and {@code Character}'s
     * data for such characters ({@code CharacterData00}). Loaded first at the end of the generator's warm-up, they
     * made its compiled code not entrant all at once ({@code String.isLatin1}, and {@code CharacterData.of} inlined as
     * the only kind there was into {@code URLEncoder}, {@code Integer.parseInt}, the URI parser and the HTTP client),
     * and with our server in a JVM of its own the JIT compiled that code again during our first flows.
     */
    private static void loadLocaleData() {
        String.format(java.util.Locale.ROOT, "%d %.1f", 1, 1.0);
    }

    /**
     * The generator's warm-up, right before our measured server starts: against our example in a child JVM
     * ({@link SeparateExample}, stopped after), what the first-flows rows do on a new server, again and again until
     * this JVM's JIT has settled: a new target (new connections, no cookies), its clients set up (registration,
     * sign-in, consent), a connection per worker opened, then the first {@code --cold-flows} flows. The first-flows
     * rows then measure the servers' start, not the generator's: cold, the generator's HTTP client, form encoding and
     * JSON cost three to five times their steady CPU per flow, and their compilation shares this JVM's compiler queue
     * with our in-process server. Nothing of our server runs in this JVM meanwhile.
     *
     * <p>Why each round starts over, and why after the warm start: the JIT compiles a hot method without the
     * branches its profile never saw, so a generator warmed on steady flows alone met a new server's first
     * connections, empty pools and sign-in pages as uncommon traps, and compiled its code again during the measured
     * flows; and while the twins of the warm start loaded their classes, the generator's compiled code was made not
     * entrant (no uncommon trap, and not the code cache's sweeper).
     */
    private static void warmGenerator(LoadOptions o, java.util.function.Consumer<String> progress) throws Exception {
        try (SeparateExample throwaway = SeparateExample.start()) {
            progress.accept("warming up the generator on our example in a child JVM until the JIT has settled");
            int[] rounds = new int[1];
            JitSettle.Outcome warm = JitSettle.untilSettled(() -> {
                try (HttpTarget target = HttpTarget.discover("generator warm-up", throwaway.baseUri(),
                        throwaway.mcpUri(), "mcp", true, o.httpClient())) {
                    List<HttpTarget.Client> workers = target.newClients(o.clients(), progress);
                    target.connect(o.clients());
                    Measurement.run("generator warm-up", workers, o.coldFlows(), o.measure().multipliedBy(6),
                            flows(target));
                }
                rounds[0]++;
            }, JitWatch.thisJvm(), GENERATOR_WARM_UP_MIN.compareTo(o.warmup()) < 0 ? GENERATOR_WARM_UP_MIN : o.warmup(),
                    o.warmupMax());
            progress.accept("warmed up the generator: " + warm + ", " + rounds[0] + " rounds");
        }
    }

    /**
     * Full flows on {@code target}, the one operation of the generator's warm-up and of every full-flow row: one
     * lambda class for all of them. Each {@code target::flow} written out is a class of its own, and the workers'
     * loop ({@link Measurement#run}), compiled during the warm-up for the warm-up's class, went back to the
     * interpreter on the first measured flow's other class and was compiled again during our first flows.
     */
    private static Measurement.Op<HttpTarget.Client> flows(HttpTarget target) {
        return target::flow;
    }

    /**
     * Our example (rate limits off). In this JVM: after the warm start on twins when {@code --warm-start} asks for
     * one, then the generator's warm-up, and then (after a warm start) until the JIT has compiled what its own start
     * queued ({@link WarmStart#awaitStarted}), as in its own JVM. In a JVM of its own ({@code --server-jvm
     * separate}): after the generator's warm-up, the warm start in its JVM, as in production; the harness's JVM
     * idles meanwhile, so nothing there sends the generator's compiled code back to the interpreter.
     */
    private static OurServer startOurs(LoadOptions o, java.util.function.Consumer<String> progress) throws Exception {
        String twins = "warming up twins of our server for at most " + o.warmStart().toSeconds()
                + " s before it starts";
        if (o.separateServerJvm()) {
            warmGenerator(o, progress);
            progress.accept("starting our server in a JVM of its own" + (o.warmStart().isZero() ? "" : "; " + twins));
            return SeparateExample.measured(o.warmStart(), o.clients(), o.warmUpFlows());
        }
        ServerPools pools = new ServerPools();
        if (!o.warmStart().isZero()) {
            progress.accept(twins);
            progress.accept("warm start: " + WarmStart.run(o.warmStart(), o.clients(), pools,
                    InProcessExample.authorization(0)).summary());
        }
        warmGenerator(o, progress);
        InProcessExample ours = InProcessExample.start(o.warmUpFlows(), pools);
        if (!o.warmStart().isZero()) {
            WarmStart.awaitStarted();
        }
        return ours;
    }

    /**
     * The three {@code tools/list} rows, guarded (ours against the reference), unguarded and the token's header alone
     * (at {@value #UNGUARDED_PATH} on the same server): ours warmed up one after another until the JIT settled, then
     * in turns until it settled again ({@link Interleaved#warm}), then measured in turns ({@link Interleaved}, an
     * unrecorded round, then {@value #TURNS} rounds, each turn a tenth of the measurement time), so that their ratio
     * is not the machine's drift; three times as long as other rows: the guard's 3 to 5% is measured to about 1%.
     */
    private static List<Row> toolsList(LoadOptions o, Meters cpu, java.util.function.Consumer<String> progress,
            HttpTarget us, List<HttpTarget.Client> ourClients, HttpTarget unguarded, HttpTarget them,
            List<HttpTarget.Client> theirClients) throws Exception {
        for (HttpTarget.Client c : ourClients) {
            us.openMcpSession(c);
        }
        List<HttpTarget.Client> openClients = new ArrayList<>();
        // what the token costs before any guard looks at it: the same unguarded requests carrying our clients'
        // Authorization headers (Jetty parses them, nothing reads them), to tell the guard's own cost apart
        List<HttpTarget.Client> headerClients = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
            HttpTarget.Client open = new HttpTarget.Client("unguarded-" + i);
            unguarded.openMcpSession(open);
            openClients.add(open);
            HttpTarget.Client header = new HttpTarget.Client("header-" + i);
            unguarded.openMcpSession(header);
            header.accessToken = ourClients.get(i).accessToken;
            headerClients.add(header);
        }
        List<Interleaved.Lane> lanes = List.of(
                new Interleaved.Lane(GUARDED, us, ourClients, c -> us.toolsList(c.accessToken, c)),
                new Interleaved.Lane(UNGUARDED, unguarded, openClients,
                        c -> unguarded.toolsList(null, c)),
                new Interleaved.Lane(HEADER_ONLY, unguarded, headerClients,
                        c -> unguarded.toolsList(c.accessToken, c)));
        Duration guardedWarmUp = null;
        for (Interleaved.Lane lane : lanes) {
            progress.accept("warming up " + lane.operation() + " until the JIT has settled");
            JitSettle.Outcome warm = JitSettle.untilSettled(lane.operation(), lane.clients(), lane.op(),
                    cpu.server().compiledMillis(), o.warmup(), o.warmupMax());
            guardedWarmUp = guardedWarmUp == null ? warm.took() : guardedWarmUp;
            progress.accept("warmed up " + lane.operation() + ": " + warm);
        }
        Duration turn = o.measure().dividedBy(TURN_SHARE);
        progress.accept("warming up the three rows in turns until the JIT has settled");
        JitSettle.Outcome mixed = JitSettle.untilSettled(() -> Interleaved.warm(lanes, turn),
                cpu.server().compiledMillis(), o.warmup().dividedBy(4), o.warmupMax());
        progress.accept("warmed up the rows in turns: " + mixed);
        java.util.function.Supplier<String> meanwhile = cpu.server().activityFromNow();
        progress.accept("measuring the three tools/list rows in turns");
        List<Measurement> ours = Interleaved.run(lanes, TURNS, turn, Math.max(1, o.maxOps() / TURN_SHARE), cpu.ours(),
                cpu.generator());
        progress.accept("measured the tools/list rows; meanwhile " + meanwhile.get());
        JitSettle.forAsLong(GUARDED, theirClients, c -> them.toolsList(c.accessToken, c), guardedWarmUp);
        Measurement theirs = counted(them, cpu.generator(), () -> Measurement.run(GUARDED, theirClients, o.maxOps(),
                o.measure(), c -> them.toolsList(c.accessToken, c), cpu.reference()));
        return List.of(new Row(GUARDED, ours.get(0), theirs), new Row(lanes.get(1).operation(), ours.get(1), null),
                new Row(HEADER_ONLY, ours.get(2), null));
    }

    private static Row side(LoadOptions o, Meters cpu, java.util.function.Consumer<String> progress, String operation,
            HttpTarget us, List<HttpTarget.Client> ourClients, Measurement.Op<HttpTarget.Client> ourOp,
            HttpTarget them, List<HttpTarget.Client> theirClients, Measurement.Op<HttpTarget.Client> theirOp)
            throws Exception {
        return sides(o, cpu, progress, operation, us, ourClients, ourOp, them, theirClients, theirOp, 0).get(0);
    }

    /**
     * The row of {@code operation} on both sides, each warmed up until the JIT has settled (the reference as long as
     * ours) and measured; with {@code runs} above 0, two more rows: right after each side's measurement, on the
     * same warm JIT and with nothing else running, {@code runs} runs of {@code --cold-flows} operations each,
     * measured as the first flows are ({@link #steadyRuns}), their median (item 2's yardstick) and their slowest
     * (how far one run of a warm server falls from that median).
     */
    private static List<Row> sides(LoadOptions o, Meters cpu, java.util.function.Consumer<String> progress,
            String operation, HttpTarget us, List<HttpTarget.Client> ourClients,
            Measurement.Op<HttpTarget.Client> ourOp, HttpTarget them, List<HttpTarget.Client> theirClients,
            Measurement.Op<HttpTarget.Client> theirOp, int runs) throws Exception {
        progress.accept("measuring " + operation + " (warm-up until the JIT has settled, then measurement)");
        JitSettle.Outcome warm = JitSettle.untilSettled(operation, ourClients, ourOp, cpu.server().compiledMillis(),
                o.warmup(), o.warmupMax());
        java.util.function.Supplier<String> meanwhile = cpu.server().activityFromNow();
        Measurement ours = counted(us, cpu.generator(), () -> Measurement.run(operation, ourClients, o.maxOps(),
                o.measure(), ourOp, cpu.ours()));
        progress.accept("measured " + operation + " on " + us.name() + " (" + ours.brief() + ") after a warm-up of "
                + warm + "; during the measurement " + meanwhile.get());
        List<Measurement> ourRuns = List.of();
        if (runs > 0) {
            meanwhile = cpu.server().activityFromNow();
            ourRuns = steadyRuns(o, cpu.ours(), cpu.generator(), us, ourClients, ourOp, runs);
            progress.accept("measured " + runs + " runs of " + o.coldFlows() + " on " + us.name() + " (the median: "
                    + Measurement.median(ourRuns).brief() + "; the slowest: " + Measurement.slowest(ourRuns).brief()
                    + "); meanwhile " + meanwhile.get());
        }
        Measurement theirs = null;
        List<Measurement> theirRuns = List.of();
        if (theirClients != null) {
            JitSettle.forAsLong(operation, theirClients, theirOp, warm.took());
            theirs = counted(them, cpu.generator(), () -> Measurement.run(operation, theirClients, o.maxOps(),
                    o.measure(), theirOp, cpu.reference()));
            theirRuns = runs > 0 ? steadyRuns(o, cpu.reference(), cpu.generator(), them, theirClients, theirOp,
                    runs) : List.of();
        }
        Row row = new Row(operation, ours, theirs);
        if (runs == 0) {
            return List.of(row);
        }
        String of = " of " + runs + " runs of " + o.coldFlows();
        return List.of(row, new Row(STEADY_MEDIAN + of, Measurement.median(ourRuns),
                theirRuns.isEmpty() ? null : Measurement.median(theirRuns)), new Row(STEADY_SLOWEST + of,
                Measurement.slowest(ourRuns), theirRuns.isEmpty() ? null : Measurement.slowest(theirRuns)));
    }

    /**
     * {@code runs} runs of {@code --cold-flows} operations on {@code target}, each measured as the first flows are
     * (a connection per worker opened, the workers started together, the run over when its last operation ends).
     */
    private static List<Measurement> steadyRuns(LoadOptions o, CpuMeter server, CpuMeter generator, HttpTarget target,
            List<HttpTarget.Client> clients, Measurement.Op<HttpTarget.Client> op, int runs) throws Exception {
        List<Measurement> each = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            target.connect(o.clients()); // as before the first flows
            each.add(firstFlows(o, target, clients, op, server, generator));
        }
        return each;
    }

    /**
     * One run of {@code --cold-flows} operations from every worker, started together and over when the last ends:
     * the first flows' measurement, and each of the steady runs item 2 reads them against ({@link #steadyRuns}).
     */
    private static Measurement firstFlows(LoadOptions o, HttpTarget target, List<HttpTarget.Client> clients,
            Measurement.Op<HttpTarget.Client> op, CpuMeter server, CpuMeter generator) throws Exception {
        return counted(target, generator, () -> Measurement.run("flows", clients, o.coldFlows(),
                o.measure().multipliedBy(6), op, server));
    }

    /** A measurement on {@code target} with the connection retries and the generator's CPU time during it. */
    private static Measurement counted(HttpTarget target, CpuMeter generator,
            java.util.concurrent.Callable<Measurement> measurement) throws Exception {
        long before = target.retries();
        long cpu0 = generator.cpuNanos();
        Measurement m = measurement.call();
        return m.withGenerator(target.retries() - before, generator.cpuNanos() - cpu0);
    }

    /** Issues {@code firstSight} new tokens (refresh, not measured), then sends each once through the guard. */
    private static Measurement firstSight(LoadOptions o, java.util.function.Consumer<String> progress,
            HttpTarget target, List<HttpTarget.Client> clients, CpuMeter cpu, CpuMeter generator) throws Exception {
        progress.accept("issuing " + o.firstSight() + " new tokens on " + target.name());
        ConcurrentLinkedQueue<String> fresh = new ConcurrentLinkedQueue<>();
        Measurement issued = Measurement.run("issue", clients, o.firstSight(), o.measure().multipliedBy(12), c -> {
            target.refresh(c);
            fresh.add(c.accessToken);
        });
        if (issued.errors() > 0 || fresh.size() < o.firstSight()) {
            throw new IllegalStateException("could not issue the new tokens: " + issued);
        }
        return counted(target, generator, () -> Measurement.run("first-sight", clients, o.firstSight(),
                o.measure().multipliedBy(12), c -> target.toolsList(fresh.remove(), c), cpu));
    }
}
