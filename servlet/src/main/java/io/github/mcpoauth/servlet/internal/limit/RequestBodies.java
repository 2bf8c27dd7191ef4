package io.github.mcpoauth.servlet.internal.limit;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Ends a request that is answered without reading its body, so that the answer reaches the client intact.
 *
 * <p>An early answer (401 from the bearer guard, 405, 429, 413, a GET that carried a body) is written while the
 * client may still be sending its body. If the container then finds unread body bytes it closes the connection
 * after the response, yet the response did not say {@code Connection: close}: an HTTP/1.1 client that pooled the
 * connection sends its next request into a closed socket and fails (the JDK client reports "header parser received
 * no bytes"). So the answer first reads and throws away the body, within a byte limit and a time limit; when the
 * body is longer than that, still arriving when the time is up, chunked, or unreadable, the response says
 * {@code Connection: close} and the client opens a new connection for its next request (RFC 9112 §9.6).
 *
 * <p>The time limit matters: a client that declares a body and never sends it must not hold a request thread for
 * the container's idle timeout. Only bytes that have arrived are read (never a blocking read), polling until the
 * body is complete or the limit passes. The wait is spent only where it can keep a connection: for a body of declared
 * length on an HTTP/1.1 connection the client keeps open. A chunked body is read as far as it has arrived and the
 * connection is then closed (its end shows only to a read that could block); a request without a body costs
 * nothing.
 *
 * <p>Hosts can call this from their own servlets and filters that answer a request early.
 */
public final class RequestBodies {

    /** The default byte limit: enough for any JSON-RPC message or OAuth form a client sends before it is refused. */
    public static final long DEFAULT_DISCARD_LIMIT = 64 * 1024;

    /** The default time limit: a client sends its body right after its headers, not a second later. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private RequestBodies() {
    }

    /**
     * Reads and throws away up to {@value #DEFAULT_DISCARD_LIMIT} bytes of the request body, waiting at most
     * {@link #DEFAULT_WAIT} for them; see {@link #discard(HttpServletRequest, HttpServletResponse, long, Duration)}.
     */
    public static boolean discard(HttpServletRequest request, HttpServletResponse response) {
        return discard(request, response, DEFAULT_DISCARD_LIMIT, DEFAULT_WAIT);
    }

    /**
     * Reads and throws away up to {@code limit} bytes of whatever is left of the request body, waiting at most
     * {@code wait} for them to arrive. Call before the response is committed. A body already read, or none at all,
     * costs nothing.
     *
     * @param limit the most bytes to read, at least 0
     * @param wait the most time to wait for the body, zero to read only what has arrived
     * @return true when the whole body was read and the connection can be kept; false after setting
     *         {@code Connection: close} on the response
     */
    public static boolean discard(HttpServletRequest request, HttpServletResponse response, long limit,
            Duration wait) {
        return discard(request, response, limit, wait, Ticker.systemTicker());
    }

    /**
     * {@link #discard(HttpServletRequest, HttpServletResponse, long, Duration)} measuring the wait on {@code ticker}
     * (nanoseconds, monotonic) instead of the system ticker.
     */
    public static boolean discard(HttpServletRequest request, HttpServletResponse response, long limit,
            Duration wait, Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0, was " + limit);
        }
        if (Objects.requireNonNull(wait, "wait").isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
        long declared = request.getContentLengthLong();
        if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
            return true; // no body (RFC 9112 §6.3): the stream would not say it is finished until a read meets the end
        }
        boolean whole;
        try {
            // Waiting pays only for a body of known length on a connection that stays open: the end of a chunked
            // body shows only to a read that could block, and a connection that closes anyway needs nothing.
            Duration patience = declared > 0 && keptAlive(request) ? wait : Duration.ZERO;
            whole = drain(request.getInputStream(), declared, limit, ticker.read() + patience.toNanos(), ticker);
        } catch (IOException | RuntimeException e) {
            // the client went away, the body is malformed, or a reader was taken instead of the stream
            whole = false;
        }
        if (!whole && !response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        return whole;
    }

    /** Whether the client means to send another request on this connection (HTTP/1.1 without close). */
    private static boolean keptAlive(HttpServletRequest request) {
        if (!"HTTP/1.1".equals(request.getProtocol())) {
            return false; // HTTP/1.0 closes by default; HTTP/2 streams end on their own
        }
        for (var values = request.getHeaders("Connection"); values != null && values.hasMoreElements(); ) {
            for (String option : values.nextElement().split(",")) {
                if (option.strip().equalsIgnoreCase("close")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Reads what arrives until the body ends, {@code limit} is passed or {@code deadline} comes.
     *
     * @param declared the declared length, or -1 when chunked: reading that many bytes means the body is done even
     *     before the stream says so (it does only once a read meets the end)
     */
    private static boolean drain(ServletInputStream in, long declared, long limit, long deadline, Ticker ticker)
            throws IOException {
        byte[] buffer = new byte[8192];
        long read = 0;
        while (!in.isFinished()) {
            int available = in.available();
            if (available > 0) {
                int n = in.read(buffer, 0, Math.min(available, buffer.length));
                if (n < 0) {
                    return true;
                }
                read += n;
                if (declared >= 0 && read >= declared) {
                    return true;
                }
                if (read > limit) {
                    return false;
                }
            } else if (ticker.read() - deadline >= 0 || !pause()) {
                return false;
            }
        }
        return true;
    }

    /** Waits one polling interval; false when interrupted (the interrupt is kept). */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_NANOS / 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
