package io.github.mcpoauth.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process on a free loopback port: the process prints {@code LISTENING <port>} once it
 * listens, and stops when its standard input closes ({@link #close()}; forcibly after 5 s).
 */
final class ChildServer implements AutoCloseable {

    private final Process process;
    private final URI base;

    private ChildServer(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts {@code command} and waits up to a minute for its port; {@code label} prefixes what it prints before. */
    static ChildServer start(List<String> command, String label) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("LISTENING ")) {
                        return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    }
                    System.out.println("[" + label + "] " + line);
                }
                throw new IllegalStateException(label + " exited before listening, code " + p.waitFor());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            int bound = port.get(60, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discarded: the servers log nothing per request
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, label + "-output");
            drain.setDaemon(true);
            drain.start();
            return new ChildServer(p, URI.create("http://127.0.0.1:" + bound));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    URI baseUri() {
        return base;
    }

    /** The CPU time of the child process. */
    CpuMeter cpu() {
        return CpuMeter.process(process.toHandle());
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
