package io.github.mcpoauth.benchmarks.load;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The MCP TypeScript SDK's reference authorization server ({@code reference-server.cjs}: the SDK's demo in-memory
 * provider behind its {@code mcpAuthRouter}, rate limits off, and a bearer-guarded MCP endpoint) in a node child
 * process on a free loopback port, the SDK taken from {@code interop/node_modules} (interop's lockfile).
 */
final class ReferenceServer implements AutoCloseable {

    private final ChildServer child;

    private ReferenceServer(ChildServer child) {
        this.child = child;
    }

    /** Starts node on the script (copied out of the class path) and waits for its port. */
    static ReferenceServer start(Path interopDir) throws Exception {
        if (!Files.isDirectory(interopDir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            throw new IllegalStateException("no MCP TypeScript SDK in " + interopDir.resolve("node_modules")
                    + ": run `npm ci` in interop/ first");
        }
        Path script = Files.createTempFile("mcp-oauth-reference-server", ".cjs");
        try (InputStream in = ReferenceServer.class.getResourceAsStream("reference-server.cjs")) {
            if (in == null) {
                throw new IllegalStateException("reference-server.cjs missing from the class path");
            }
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        return new ReferenceServer(ChildServer.start(
                List.of("node", script.toString(), interopDir.toAbsolutePath().toString()), "reference"));
    }

    URI baseUri() {
        return child.baseUri();
    }

    /** The CPU time of the node process. */
    CpuMeter cpu() {
        return child.cpu();
    }

    URI mcpUri() {
        return URI.create(baseUri() + "/mcp");
    }

    @Override
    public void close() {
        child.close();
    }
}
