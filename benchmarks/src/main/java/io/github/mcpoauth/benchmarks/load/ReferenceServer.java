package io.github.mcpoauth.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MCP TypeScript SDK's reference authorization server ({@code reference-server.cjs}: the SDK's demo in-memory
 * provider behind its {@code mcpAuthRouter}, rate limits off, and a bearer-guarded MCP endpoint) in a node child
 * process on a free loopback port, the SDK taken from {@code interop/node_modules} (interop's lockfile).
 */
final class ReferenceServer implements AutoCloseable {

    private final Process process;
    private final URI base;

    private ReferenceServer(Process process, URI base) {
        this.process = process;
        this.base = base;
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
        Process p = new ProcessBuilder(List.of("node", script.toString(), interopDir.toAbsolutePath().toString()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("LISTENING ")) {
                        return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    }
                    System.out.println("[reference] " + line);
                }
                throw new IllegalStateException("node exited before listening, code " + p.waitFor());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            int bound = port.get(60, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discarded: the script logs nothing per request
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "reference-server-output");
            drain.setDaemon(true);
            drain.start();
            return new ReferenceServer(p, URI.create("http://127.0.0.1:" + bound));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    URI baseUri() {
        return base;
    }

    /** The CPU time of the node process. */
    CpuMeter cpu() {
        return CpuMeter.process(process.toHandle());
    }

    URI mcpUri() {
        return URI.create(base + "/mcp");
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
