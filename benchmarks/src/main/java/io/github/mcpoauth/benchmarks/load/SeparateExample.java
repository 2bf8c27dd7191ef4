package io.github.mcpoauth.benchmarks.load;

import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Our example as the harness runs it (in-memory stores, rate limits off), in a child JVM of its own: what the
 * generator warms up on before our measured server starts, so that the generator's HTTP client, form encoding and
 * JSON have met our responses, while nothing of our server is compiled or profiled in the harness's JVM.
 */
final class SeparateExample implements AutoCloseable {

    /** Grants the child holds at most: more than 90 s of the generator's warm-up makes (about 500,000). */
    private static final int MAX_GRANTS = 2_000_000;

    private final ChildServer child;

    private SeparateExample(ChildServer child) {
        this.child = child;
    }

    /** Starts the example in a child JVM (this JVM's {@code java} and class path) and waits for its port. */
    static SeparateExample start() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new SeparateExample(ChildServer.start(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), SeparateExample.class.getName()), "separate example"));
    }

    URI baseUri() {
        return child.baseUri();
    }

    URI mcpUri() {
        return URI.create(baseUri() + ExampleServer.MCP_PATH);
    }

    @Override
    public void close() {
        child.close();
    }

    /** The child: serves until its standard input closes. */
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        // the generator's warm-up registers 32 clients per round and runs 1,000 flows on them: past the default cap of
        // 100,000 grants (after about 25 s) the store would refuse new grants with 503, as it must
        Stores stores = InMemoryStores.newBuilder(Clock.systemUTC()).maxGrants(MAX_GRANTS).build().stores();
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral().withAuthorizationInstaller(
                (ctx, issuer) -> LoadHarness.installWithoutRateLimits(ctx, issuer, stores, 1)))) {
            System.out.println("LISTENING " + example.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // until the harness closes our input
            }
        }
        System.exit(0); // the MCP Java SDK's session sweeper is not a daemon thread
    }
}
