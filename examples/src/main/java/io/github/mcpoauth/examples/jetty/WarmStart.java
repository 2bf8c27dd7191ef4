package io.github.mcpoauth.examples.jetty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.store.memory.InMemoryStores;

/**
 * Warm before ready: exercises throwaway twins of the example ({@value #CYCLES}, one after another) through real HTTP
 * before the real server opens its port, so that the JIT has compiled Jetty's, the servlet edge's, mcp-oauth's and
 * the MCP SDK's request paths by the time the first user request arrives (a JVM runs new code interpreted, then
 * compiles what runs often: about a tenth of steady-state speed for the first thousand flows without this; see
 * docs/performance.md, "Warm before ready").
 *
 * <p>A twin is the same Jetty set-up with its own port on loopback, its authorization installed as the caller says
 * ({@code twin}: the real server's settings, with in-memory stores of its own, its own signing keys and no rate limits;
 * {@link ExampleServer} writes the example's once for both), and the audit log switched off meanwhile, so that nothing
 * of the warm-up reaches the real server's stores, keys, audit log or clients. It runs on the real server's request
 * threads and buffers ({@link ServerPools}), which the real server then takes over. {@code clients} concurrent clients
 * (as many as the load to expect) each register (RFC 7591), sign a demo user in and approve the client on the real
 * pages as a new browser (whose requests are shaped as a browser's: {@link BrowserSession}), then repeat, {@value
 * #ROUNDS_PER_CLIENT} times at most before a new client takes over, until the time is up: the browser's authorization
 * request with PKCE, the code exchange, a refresh with rotation and an MCP {@code tools/list} through the bearer guard.
 * A failed request (none waits more than 10 s) is counted, not thrown: a warm-up never stops the server from starting.
 *
 * <p>Last comes a rehearsal ({@link #REHEARSAL}): once the JIT has compiled what the twins left queued, one more
 * twin's first seconds, which take the branches the real server's first seconds will, in compiled code.
 *
 * <p>Use it where a deployment reports readiness only once the port is open (a Kubernetes readiness probe): start
 * takes up to {@code duration} longer (each twin stops early once the JIT has settled), plus up to
 * {@link #MAX_QUIET_WAIT} twice (after the twins, after the rehearsal) while the JIT compiles what they left queued,
 * and the first requests then run mostly compiled code (30 s made the first thousand flows eight times cheaper for the
 * server, 1.8 times a steady flow, on a 2-core machine; see docs/performance.md for longer warm-ups).
 * Once the real server has started, {@link #awaitStarted} waits (at most {@link #MAX_QUIET_WAIT} more) for the JIT to
 * compile what that start queued, before the server says it is ready. {@link ExampleServer#main} does both when
 * {@code WARM_UP_SECONDS} is set.
 *
 * @see <a href="https://openjdk.org/groups/hotspot/docs/HotSpotGlossary.html">HotSpot glossary (tiered
 *     compilation)</a>
 */
public final class WarmStart {

    private static final Logger LOG = Logger.getLogger(WarmStart.class.getName());
    /**
     * The audit log ({@link AuditListener#logging()}, through {@code java.util.logging} in the example), off while
     * the twins run: held here, as {@code java.util.logging} holds its loggers weakly.
     */
    private static final Logger AUDIT = Logger.getLogger("io.github.mcpoauth.audit");

    /**
     * What a warm-up did.
     *
     * @param rounds   rounds completed (authorization, code exchange, refresh, {@code tools/list} each)
     * @param clients  clients registered, signed in and approved (a new one after every
     *                 {@value #ROUNDS_PER_CLIENT} rounds of another)
     * @param failures requests that failed or answered unexpectedly
     * @param took     how long it ran, the twins' starts and stops included
     * @param settled  how many of the twins, the rehearsal included, were stopped early because the JIT had
     *                 settled
     * @param quiet    whether the JIT had compiled what the twins left queued when the warm-up ended
     * @param firstFailure the first failure's message, if any
     */
    public record Outcome(long rounds, long clients, long failures, Duration took, int settled, boolean quiet,
            Optional<String> firstFailure) {

        /**
         * This outcome in a sentence, built without string concatenation or a lambda: logged right before the real
         * server opens its port, their first use spins method handles, and the JIT compiled the JDK's bytecode
         * generator for them during the first requests (docs/performance.md, "Our server in a JVM of its own").
         */
        public String summary() {
            return new StringBuilder().append(rounds).append(" rounds by ").append(clients).append(" clients, ")
                    .append(failures).append(" failures in ").append(took.toMillis()).append(" ms, ").append(settled)
                    .append(" of ").append(CYCLES + 1)
                    .append(" twins (the last the rehearsal) stopped once the JIT had settled, the JIT ")
                    .append(quiet ? "quiet" : "still compiling").append(" at the end")
                    .append(firstFailure.isPresent() ? "; first: " : "").append(firstFailure.orElse("")).toString();
        }
    }

    /**
     * How many twins the warm-up runs one after another, each for at most an equal share of the time. A server's
     * first requests take branches its later ones never do (empty caches, a user's first grant); a JVM compiles hot
     * methods without the branches their profiles never saw, and a new server that takes one sends the method back
     * to the interpreter. A later twin's start takes them while the methods are compiled and profiled, so that the
     * real server's start does not (with one twin, the first 1,000 flows of the real server cost two to three times
     * a steady flow; with three, 1.3 to 1.8 times: docs/performance.md).
     */
    static final int CYCLES = 3;

    /**
     * The most rounds a client of the warm-up runs before a new one takes its place (registration, sign-in, consent,
     * a new MCP session): new clients keep arriving while the JIT compiles, so that their branches are in the
     * profiles the compiled code is built from, not only in the twin's first seconds. Without them a compiled method
     * meets the real server's first clients as an uncommon trap, and is compiled again under its first requests.
     * Each client also runs past its store's cap of grants per user and client ({@link
     * InMemoryStores#MAX_GRANTS_PER_USER_AND_CLIENT}, where a new grant replaces the oldest), for the same reason:
     * with 50 rounds the twins never reached it, and a real server whose clients did (the load harness's, after a few
     * thousand flows) compiled the store's save, Caffeine's removal and maintenance and the audit listener again,
     * 450 ms of C2 during its first flows.
     */
    static final int ROUNDS_PER_CLIENT = InMemoryStores.MAX_GRANTS_PER_USER_AND_CLIENT + 20;

    /**
     * The most rounds a twin runs: each leaves a grant in its in-memory store, which refuses more than {@link
     * InMemoryStores#MAX_GRANTS} (503s). A tenth below, as it is checked once a second (1,700 rounds/s on 2 cores).
     */
    static final long ROUNDS_PER_TWIN = InMemoryStores.MAX_GRANTS * 9L / 10;

    /**
     * The longest the warm-up waits, after its last twin, for the JIT to compile what the twins left queued (a few
     * seconds without load on two cores; left to the real server's first requests, it took their CPU).
     */
    static final Duration MAX_QUIET_WAIT = Duration.ofSeconds(10);

    /**
     * The longest the rehearsal runs: one more twin, started once the JIT has compiled what the twins left queued,
     * whose first seconds are what the real server's will be (new clients on an empty store, its maps and caches
     * growing from nothing, new connections). Branches a new server takes only then stay out of code C2 compiled
     * from a long-running twin's profiles, and the first request that takes one sends that code back to the
     * interpreter (an uncommon trap); in the rehearsal they are taken in compiled code, recorded as such, and the
     * code compiled again with them before the real server starts. It runs until the JIT has settled under its
     * load: code sent back to the interpreter reaches C2 again only after thousands more calls, which the wait
     * without load after it would not give (one rehearsal of 3 s left code in C1's tiers that C2 then compiled for
     * 415 ms during the real server's first flows).
     */
    static final Duration REHEARSAL = Duration.ofSeconds(20);

    /** How many concurrent clients {@link ExampleServer#main} warms up with. */
    static final int DEFAULT_CLIENTS = 32;

    private WarmStart() {
    }

    /**
     * Runs {@value #CYCLES} twins one after another on {@code pools}, each installed by {@code twin}, started, driven
     * by {@code clients} concurrent clients for its share of {@code duration}, until the JIT has settled ({@link
     * JitWatch}) or for {@value #ROUNDS_PER_TWIN} rounds, whichever comes first, and stopped; then waits until the JIT
     * has compiled what they left queued, for at most a twin's share and {@link #MAX_QUIET_WAIT}; then the rehearsal
     * (at most {@link #REHEARSAL} and a quarter of {@code duration}, taken out of it) and the same wait again: {@code
     * duration} plus the two waits is the most the warm-up takes. The pools' threads are left running, for the real
     * server to take over ({@link ExampleServer#start(ExampleConfig, ServerPools)}).
     *
     * @param twin how each twin installs its authorization: the real server's settings (the JIT compiles for the
     *             code paths and types it sees, and a real server set up otherwise sends that code back to the
     *             interpreter on its first requests), with in-memory stores of its own, no rate limits and no
     *             warm-up flow of its own ({@code AuthorizationServer.Builder.warmUpFlows(0)})
     * @throws IllegalArgumentException if {@code duration} is negative or {@code clients} is not 1 to 256
     */
    public static Outcome run(Duration duration, int clients, ServerPools pools, AuthorizationInstaller twin)
            throws Exception {
        return run(duration, clients, pools, twin, JitWatch.thisJvm(), ROUNDS_PER_TWIN);
    }

    /**
     * The last step of a warm start, once the real server has started on the pools the twins ran on: waits at most
     * {@link #MAX_QUIET_WAIT} for the JIT to compile what that start queued, and says whether it did. Building and
     * starting the real server runs code the twins never ran (the real installer's lambdas, the JDK's class spinning
     * for them): with the load harness's server it had C2 compile the JDK's bytecode generator (ASM's {@code
     * Frame.execute}, 240 ms) during its first flows. A server announces itself ready after this, as {@link
     * ExampleServer#main} does.
     */
    public static boolean awaitStarted() throws InterruptedException {
        return JitWatch.of(JitWatch.thisJvm()).awaitSettled(MAX_QUIET_WAIT);
    }

    /**
     * {@link #run(Duration, int, ServerPools, AuthorizationInstaller)} with the JIT read from {@code compiledMillis}:
     * the milliseconds compiled so far, or -1 if it cannot tell (then every twin runs its full share); each twin
     * stopped after {@code roundsPerTwin}.
     */
    static Outcome run(Duration duration, int clients, ServerPools pools, AuthorizationInstaller twin,
            LongSupplier compiledMillis, long roundsPerTwin) throws Exception {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        java.util.Objects.requireNonNull(pools, "pools");
        java.util.Objects.requireNonNull(twin, "twin");
        if (clients < 1 || clients > 256) {
            throw new IllegalArgumentException("clients must be 1 to 256: " + clients);
        }
        long t0 = System.nanoTime();
        WarmUpDriver.Tally tally = new WarmUpDriver.Tally();
        int settled = 0;
        boolean quiet;
        // The twins have the real server's audit listener (the JIT compiles the request paths for its type, not for
        // a no-op the real server never calls: a new type sends them back to the interpreter), its log switched off.
        Level auditLevel = AUDIT.getLevel();
        AUDIT.setLevel(Level.OFF);
        Duration rehearsal = min(REHEARSAL, duration.dividedBy(CYCLES + 1));
        Duration share = duration.minus(rehearsal).dividedBy(CYCLES);
        Duration wait = min(share, MAX_QUIET_WAIT);
        try {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                settled += cycle(share, clients, pools, twin, compiledMillis, roundsPerTwin, tally) ? 1 : 0;
            }
            JitWatch.of(compiledMillis).awaitSettled(wait);
            settled += cycle(rehearsal, clients, pools, twin, compiledMillis, roundsPerTwin, tally) ? 1 : 0;
            quiet = JitWatch.of(compiledMillis).awaitSettled(wait);
        } finally {
            AUDIT.setLevel(auditLevel);
        }
        Outcome outcome = new Outcome(tally.rounds.get(), tally.clients.get(), tally.failures.get(),
                Duration.ofNanos(System.nanoTime() - t0), settled, quiet,
                Optional.ofNullable(tally.firstFailure.get()));
        LOG.info("warm-up: ".concat(outcome.summary()));
        return outcome;
    }

    /**
     * One twin on {@code pools}: started, driven by {@code clients} clients for {@code duration}, until the JIT has
     * settled or until it ran {@code roundsPerTwin} rounds, stopped (its threads left running). Whether the JIT
     * settled first.
     */
    private static boolean cycle(Duration duration, int clients, ServerPools pools, AuthorizationInstaller twin,
            LongSupplier compiledMillis, long roundsPerTwin, WarmUpDriver.Tally tally) throws Exception {
        // the HTTP clients' threads end with the twin, not minutes later under the real server's first requests
        Queue<Thread> httpThreads = new ConcurrentLinkedQueue<>();
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "warm-up-http");
            t.setDaemon(true);
            httpThreads.add(t);
            return t;
        });
        try (RunningExample running = ExampleServer.start(ExampleConfig.ephemeral().withAuthorizationInstaller(twin),
                pools, false)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
            JsonNode metadata = WarmUpDriver.JSON.readTree(http.send(HttpRequest.newBuilder(running.baseUri()
                    .resolve("/.well-known/oauth-authorization-server")).timeout(WarmUpDriver.REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            WarmUpDriver driver = new WarmUpDriver(http, executor,
                    URI.create(metadata.path("registration_endpoint").asText()),
                    URI.create(metadata.path("authorization_endpoint").asText()),
                    URI.create(metadata.path("token_endpoint").asText()), running.mcpUri(),
                    scopes(metadata.path("scopes_supported")));
            AtomicLong deadline = new AtomicLong(System.nanoTime() + duration.toNanos());
            long full = tally.rounds.get() + roundsPerTwin; // the tally counts every twin's rounds
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < deadline.get()) {
                        try {
                            driver.session(deadline, tally);
                        } catch (Exception e) {
                            tally.failed(e);
                            if (e instanceof InterruptedException) {
                                return;
                            }
                        }
                    }
                }, "warm-up-" + i);
                thread.start();
                threads.add(thread);
            }
            boolean settled = JitWatch.of(compiledMillis).awaitSettled(duration, () -> tally.rounds.get() >= full);
            if (tally.rounds.get() >= full) {
                LOG.info("warm-up: a twin ran its rounds (its store near its grant cap); the next takes over");
            }
            deadline.set(System.nanoTime()); // the clients stop after their round
            for (Thread t : threads) {
                t.join();
            }
            return settled;
        } finally {
            executor.shutdownNow();
            for (Thread t : httpThreads) {
                t.join(5_000);
            }
        }
    }

    /**
     * The scopes a twin's metadata lists (RFC 8414 {@code scopes_supported}), as one {@code scope} value: its
     * clients ask for every scope the twin offers, whatever the caller's installer set.
     */
    private static String scopes(JsonNode supported) {
        List<String> scopes = new ArrayList<>();
        supported.forEach(s -> scopes.add(s.asText()));
        return String.join(" ", scopes);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
