package io.github.mcpoauth.servlet.limit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a request that is refused before its body was read, so that the refusal reaches the client intact.
 *
 * <p>An early answer (401 from the bearer guard, 405, 429, 413) is written while the client may still be sending
 * its body. If the container then finds unread body bytes it closes the connection after the response, yet the
 * response did not say {@code Connection: close}: an HTTP/1.1 client that pooled the connection sends its next
 * request into a closed socket and fails ("header parser received no bytes" in the JDK client, {@code
 * ECONNRESET} in node). So a refusal first reads and throws away a bounded part of the body; when the body is
 * longer than that bound, or cannot be read, the response says {@code Connection: close} and the client opens a
 * new connection for its next request (RFC 9112 §9.6).
 *
 * <p>Hosts can call this from their own servlets and filters that refuse a request early.
 */
public final class RequestBodies {

    /** The default bound: enough for any JSON-RPC message or OAuth form a client sends before it is refused. */
    public static final long DEFAULT_DISCARD_LIMIT = 64 * 1024;

    private RequestBodies() {
    }

    /**
     * Reads and throws away up to {@value #DEFAULT_DISCARD_LIMIT} bytes of the request body; see
     * {@link #discard(HttpServletRequest, HttpServletResponse, long)}.
     */
    public static boolean discard(HttpServletRequest request, HttpServletResponse response) {
        return discard(request, response, DEFAULT_DISCARD_LIMIT);
    }

    /**
     * Reads and throws away up to {@code limit} bytes of whatever is left of the request body. Call before the
     * response is committed. A body already read, or none at all, costs nothing.
     *
     * @param limit the most bytes to read, at least 0
     * @return true when the whole body was read and the connection can be kept; false after setting
     *         {@code Connection: close} on the response
     */
    public static boolean discard(HttpServletRequest request, HttpServletResponse response, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0, was " + limit);
        }
        if (request.getContentLengthLong() == 0) {
            return true;
        }
        boolean whole;
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            int n = 0;
            while (read <= limit && (n = in.read(buffer)) >= 0) {
                read += n;
            }
            whole = n < 0;
        } catch (IOException | RuntimeException e) {
            // the client went away, the body is malformed, or a reader was taken instead of the stream
            whole = false;
        }
        if (!whole && !response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        return whole;
    }
}
