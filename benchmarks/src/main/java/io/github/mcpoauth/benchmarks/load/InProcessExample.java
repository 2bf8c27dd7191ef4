package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.examples.jetty.AuthorizationInstaller;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.JitWatch;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.github.mcpoauth.examples.jetty.ServerPools;
import java.net.URI;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

/**
 * Our measured server in the harness's own JVM ({@code --server-jvm same}): its CPU is that of the
 * example's request threads ({@code example-http}), and everything else the JVM does (the generator, the JIT and GC
 * for both) counts as the generator's.
 */
final class InProcessExample implements OurServer {

    private final RunningExample example;
    private final CpuMeter cpu = CpuMeter.threads("example-http");
    private final CpuMeter generator = CpuMeter.jvmExcept(cpu);

    private InProcessExample(RunningExample example) {
        this.example = example;
    }

    /**
     * Starts the example as the harness measures it on {@code pools} (those a warm start ran its twins on, or new),
     * warmed up at start with {@code warmUpFlows} flows.
     */
    static InProcessExample start(int warmUpFlows, ServerPools pools) throws Exception {
        return new InProcessExample(startExample(warmUpFlows, pools));
    }

    /**
     * The example as the harness measures it, in this JVM: rate limits off
     * ({@link UnlimitedAuthorization#install}), in-memory stores, its MCP servlet also at
     * {@value LoadHarness#UNGUARDED_PATH}.
     */
    static RunningExample startExample(int warmUpFlows, ServerPools pools) throws Exception {
        return ExampleServer.start(ExampleConfig.ephemeral().withAuthorizationInstaller(authorization(warmUpFlows)),
                pools);
    }

    /**
     * What {@link #startExample} installs: with no warm-up flows (as after a warm start), also what the twins of our
     * server's warm start install ({@code WarmStart}), so that they run the code the measured server will.
     */
    static AuthorizationInstaller authorization(int warmUpFlows) {
        return (ctx, issuer) -> {
            UnlimitedAuthorization.install(ctx, issuer, null, warmUpFlows);
            mountUnguarded(ctx);
        };
    }

    /** The example's MCP servlet also at {@value LoadHarness#UNGUARDED_PATH}, where no guard runs. */
    private static void mountUnguarded(ServletContextHandler ctx) {
        ServletMapping unguarded = new ServletMapping();
        unguarded.setServletName(ExampleServer.MCP_SERVLET);
        unguarded.setPathSpec(LoadHarness.UNGUARDED_PATH);
        ctx.getServletHandler().addServletMapping(unguarded);
    }

    @Override
    public URI baseUri() {
        return example.baseUri();
    }

    @Override
    public CpuMeter cpu() {
        return cpu;
    }

    @Override
    public CpuMeter generator() {
        return generator;
    }

    @Override
    public LongSupplier compiledMillis() {
        return JitWatch.thisJvm();
    }

    @Override
    public Supplier<String> activityFromNow() {
        JvmActivity before = JvmActivity.now();
        // a class, not a method reference: its first capture spins its class, right before our first flows
        return new Supplier<>() {
            @Override
            public String get() {
                return before.since();
            }
        };
    }

    @Override
    public void close() {
        example.close();
    }
}
