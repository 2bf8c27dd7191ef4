package io.github.mcpoauth.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process on a free loopback port: the process prints {@code LISTENING <port>} once it
 * listens, and stops when its standard input closes ({@link #close()}; forcibly after 5 s). A child may also answer
 * questions ({@link #ask}): a line on its standard input, one line {@code REPLY <answer>} on its output.
 */
final class ChildServer implements AutoCloseable {

    private static final String REPLY = "REPLY ";

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private final Process process;
    private final URI base;
    private final BlockingQueue<String> replies;

    private ChildServer(Process process, URI base, BlockingQueue<String> replies) {
        this.process = process;
        this.base = base;
        this.replies = replies;
    }

    /** Starts {@code command} and waits up to a minute for its port; {@code label} prefixes what it prints before. */
    static ChildServer start(List<String> command, String label) throws Exception {
        return start(command, label, Duration.ofMinutes(1));
    }

    /**
     * Starts {@code command} and waits up to {@code listening} for its port (a child that warms itself up first
     * needs longer than a minute); {@code label} prefixes what it prints before.
     */
    static ChildServer start(List<String> command, String label, Duration listening) throws Exception {
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
            int bound = port.get(listening.toMillis(), TimeUnit.MILLISECONDS);
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            Thread drain = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith(REPLY)) {
                            replies.add(line.substring(REPLY.length()));
                        } // anything else is discarded: the servers log nothing per request
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, label + "-output");
            drain.setDaemon(true);
            drain.start();
            return new ChildServer(p, URI.create("http://127.0.0.1:" + bound), replies);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    URI baseUri() {
        return base;
    }

    /**
     * Sends {@code question} as a line to the child's standard input and waits up to 10 s for its {@code REPLY}
     * line: the answer after the prefix.
     */
    synchronized String ask(String question) {
        try {
            replies.clear(); // a reply that came after an earlier question timed out answers nothing now
            OutputStream in = process.getOutputStream();
            in.write((question + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String answer = replies.poll(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new IllegalStateException("no answer to " + question + " within " + ANSWER_WITHIN);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
