package io.github.mcpoauth.examples.jetty;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The request threads and the I/O buffers the example's Jetty server runs on, kept apart from the server so that
 * {@link WarmStart} runs its twins on the very threads and buffers the real server then takes over: threads already
 * started, each with its stack, its allocation buffer and the JDK's per-thread I/O buffers in place, and Jetty's
 * buffer pool already holding buffers. A new server on new pools starts its threads and allocates its buffers under
 * its first requests instead (docs/performance.md, "The rehearsal and the handed-over threads").
 *
 * <p>One server at a time: a twin borrows the pools and leaves the threads running when it stops; the server that
 * takes them over ({@link ExampleServer#start(ExampleConfig, ServerPools)}) stops them when it stops.
 */
public final class ServerPools {

    /** The most request threads: 32 concurrent clients, Jetty's selector and acceptor, and room for bursts. */
    static final int MAX_THREADS = 64;

    /** The fewest threads kept when idle (a thread idle for a minute ends, down to this). */
    static final int MIN_THREADS = 4;

    private final QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    private final ByteBufferPool buffers = new ArrayByteBufferPool();

    /** New pools: no thread started yet, no buffer pooled. */
    public ServerPools() {
        threads.setName("example-http");
    }

    /**
     * A Jetty server on these pools, not started. The one that {@code takesOver} stops the threads when it stops;
     * another (a twin) leaves them running for the next.
     */
    Server server(boolean takesOver) throws Exception {
        if (!takesOver) {
            LifeCycle.start(threads); // a no-op when running; Jetty leaves a bean it did not start running at stop
        }
        Server server = new Server(threads, null, buffers);
        if (takesOver) {
            server.manage(threads);
        } else {
            server.unmanage(threads);
        }
        return server;
    }

    /** How many request threads are started (busy or idle). */
    int startedThreads() {
        return threads.getThreads();
    }
}
