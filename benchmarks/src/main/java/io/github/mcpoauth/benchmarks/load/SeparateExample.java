package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.JitWatch;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.github.mcpoauth.examples.jetty.ServerPools;
import io.github.mcpoauth.examples.jetty.WarmStart;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Our example as the harness runs it (in-memory stores, rate limits off) in a child JVM of its own, in one of two
 * roles:
 *
 * <ul>
 *   <li>{@link #start()}: what the generator warms up on before our measured server starts, so that the generator's
 *       HTTP client, form encoding and JSON have met our responses, while nothing of our server is compiled or
 *       profiled in the harness's JVM;</li>
 *   <li>{@link #measured}: our measured server itself ({@code --server-jvm separate}), as it runs in production: its
 *       warm start ({@code WarmStart}) and its JIT in its own JVM, apart from the generator's. Its CPU is then its
 *       process's, as the operating system accounts it (its JIT and GC included, as the reference's are); it tells
 *       the harness what its JIT and GC did when asked ({@code activity} on its standard input).</li>
 * </ul>
 */
final class SeparateExample implements OurServer {

    /** Grants the generator's target holds at most: more than 90 s of the generator's warm-up makes (500,000). */
    private static final int MAX_GRANTS = 2_000_000;

    /** The question a measured child answers with its {@link JvmActivity#toLine()}. */
    private static final String ACTIVITY = "activity";

    /** How long a measured child may take to listen beyond its warm start: its JVM's and Jetty's start. */
    private static final Duration START = Duration.ofMinutes(1);

    /**
     * The system property whose value, split at white space, the child JVMs get as options (a compilation log or a
     * recording of our server: {@code -Dmcpoauth.harness.childJvmArgs="-XX:+PrintCompilation"}).
     */
    static final String JVM_ARGS = "mcpoauth.harness.childJvmArgs";

    private final ChildServer child;
    private final CpuMeter generator = CpuMeter.jvmExcept(() -> 0);

    private SeparateExample(ChildServer child) {
        this.child = child;
    }

    /** Starts the generator's target in a child JVM (this JVM's {@code java} and class path), waits for its port. */
    static SeparateExample start() throws Exception {
        return new SeparateExample(ChildServer.start(command(List.of()), "separate example"));
    }

    /**
     * Starts our measured server in a child JVM: warmed up on twins for at most {@code warmStart} first (none when
     * zero), its authorization server warmed up at start with {@code warmUpFlows} flows; waits for its port.
     */
    static SeparateExample measured(Duration warmStart, int clients, int warmUpFlows) throws Exception {
        return new SeparateExample(ChildServer.start(command(List.of("measured", Long.toString(warmStart.toSeconds()),
                Integer.toString(clients), Integer.toString(warmUpFlows))), "our server", warmStart.plus(START)));
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        String jvmArgs = System.getProperty(JVM_ARGS, "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SeparateExample.class.getName()));
        command.addAll(args);
        return command;
    }

    @Override
    public URI baseUri() {
        return child.baseUri();
    }

    @Override
    public CpuMeter cpu() {
        return child.cpu();
    }

    @Override
    public CpuMeter generator() {
        return generator;
    }

    @Override
    public LongSupplier compiledMillis() {
        LongSupplier here = JitWatch.thisJvm();
        return () -> {
            long ours = here.getAsLong();
            long theirs = activity().compiledMillis();
            return ours < 0 || theirs < 0 ? -1 : ours + theirs;
        };
    }

    @Override
    public Supplier<String> activityFromNow() {
        JvmActivity server = activity();
        JvmActivity harness = JvmActivity.now();
        // a class, not a lambda: a lambda's first capture spins its class, right before our first flows
        return new Supplier<>() {
            @Override
            public String get() {
                return "in our server's JVM " + server.since(activity()) + ", in the harness's " + harness.since();
            }
        };
    }

    private JvmActivity activity() {
        return JvmActivity.parse(child.ask(ACTIVITY));
    }

    @Override
    public void close() {
        child.close();
    }

    /**
     * The child: no arguments for the generator's target; {@code measured <warm start s> <clients> <warm-up flows>}
     * for our measured server. Serves until its standard input closes.
     */
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        if (args.length == 4 && args[0].equals("measured")) {
            Duration warmStart = Duration.ofSeconds(Long.parseLong(args[1]));
            ServerPools pools = new ServerPools();
            if (!warmStart.isZero()) {
                // its summary, not the record's toString: that one's first call spins method handles, and C2
                // compiled the JDK's bytecode generator for them (ASM's Frame.execute) during our first flows
                System.out.println("warm start: " + WarmStart.run(warmStart, Integer.parseInt(args[2]), pools,
                        InProcessExample.authorization(0)).summary());
            }
            RunningExample example = InProcessExample.startExample(Integer.parseInt(args[3]), pools);
            if (!warmStart.isZero()) {
                WarmStart.awaitStarted(); // ready, as a warm-started server says it is, once its start is compiled
            }
            serve(example);
        } else if (args.length == 0) {
            // the generator's warm-up registers 32 clients per round and runs 1,000 flows on them: past the default
            // cap of 100,000 grants (after about 25 s) the store would refuse new grants with 503, as it must
            Stores stores = InMemoryStores.newBuilder(Clock.systemUTC()).maxGrants(MAX_GRANTS).build().stores();
            serve(ExampleServer.start(ExampleConfig.ephemeral().withAuthorizationInstaller(
                    (ctx, issuer) -> UnlimitedAuthorization.install(ctx, issuer, stores, 1))));
        } else {
            throw new IllegalArgumentException("expected no arguments or measured <s> <clients> <flows>: "
                    + String.join(" ", args));
        }
        System.exit(0); // the MCP Java SDK's session sweeper is not a daemon thread
    }

    /** Says the port, then answers {@value #ACTIVITY} until the harness closes our input. */
    private static void serve(RunningExample started) throws Exception {
        try (RunningExample example = started;
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("LISTENING " + example.port());
            System.out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals(ACTIVITY)) {
                    System.out.println("REPLY " + JvmActivity.now().toLine());
                    System.out.flush();
                }
            }
        }
    }
}
