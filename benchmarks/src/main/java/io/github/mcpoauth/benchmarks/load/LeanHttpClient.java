package io.github.mcpoauth.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lean blocking HTTP/1.1 client (RFC 9112) for the load harness, so that the generator's own CPU stays small next
 * to the servers' it measures: a worker's request goes out on a persistent socket ({@code TCP_NODELAY}) in one
 * write, and the same thread reads the answer (status line, headers, a body by {@code Content-Length} or
 * {@code Transfer-Encoding: chunked}, read whole) with no selector thread, future or header map in between.
 *
 * <p>Connections are pooled per authority, last in first out: with {@code n} workers on a target, {@code n}
 * sockets stay open, each used by one worker at a time. A connection idle for more than 10 s is closed rather than
 * reused (the servers close theirs after 30 s). When a server closed a reused connection while it sat in the pool
 * (EOF or reset before any byte of the answer), the request is sent once more on a fresh connection and the retry
 * is counted ({@link #retries()}, printed per measurement); anything else fails the request. Cookies: what
 * {@code Set-Cookie} sent ({@code name=value}; {@code Max-Age=0} deletes) is sent back on every request, as the
 * JDK's {@code CookieManager} does for the harness's one host. Reads and connects time out after 30 s.
 */
final class LeanHttpClient implements HttpSender {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final Map<String, String> cookies = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();

    @Override
    public Response send(Request request) throws IOException {
        URI uri = request.uri();
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http URI: " + uri);
        }
        String authority = authority(uri);
        byte[] bytes = encode(request, authority);
        boolean head = "HEAD".equals(request.method());
        Connection pooled = take(authority);
        if (pooled != null) {
            try {
                return exchange(pooled, bytes, head);
            } catch (ClosedWhileIdle e) {
                retries.increment(); // exchange closed it
            }
        }
        Connection fresh = Connection.open(uri.getHost(), port(uri), authority);
        try {
            return exchange(fresh, bytes, head);
        } catch (ClosedWhileIdle e) {
            throw (IOException) e.getCause();
        }
    }

    @Override
    public long retries() {
        return retries.sum();
    }

    @Override
    public Kind kind() {
        return Kind.LEAN;
    }

    @Override
    public void close() {
        for (ConcurrentLinkedDeque<Connection> pool : idle.values()) {
            for (Connection c; (c = pool.pollFirst()) != null; ) {
                c.close();
            }
        }
    }

    /**
     * Opens connections until {@code n} sit idle for {@code uri}'s authority (those idle for too long dropped first),
     * each marked as pooled: one the server closes while it waits is sent on again, as a reused one.
     */
    @Override
    public void connect(URI uri, int n) throws IOException {
        String authority = authority(uri);
        List<Connection> ready = new ArrayList<>();
        for (Connection c; (c = take(authority)) != null; ) {
            ready.add(c);
        }
        try {
            while (ready.size() < n) {
                ready.add(Connection.open(uri.getHost(), port(uri), authority));
            }
        } finally { // those opened before a failure stay pooled
            ready.forEach(this::release);
        }
    }

    /** Puts {@code c} back in its pool, first in line, as a reused connection (sent on again if found closed). */
    private void release(Connection c) {
        c.reused = true;
        c.lastUsed = System.nanoTime();
        idle.computeIfAbsent(c.authority, k -> new ConcurrentLinkedDeque<>()).offerFirst(c);
    }

    /** The pool's key: {@code host:port}, port 80 when the URI names none. */
    private static String authority(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }

    private Connection take(String authority) {
        ConcurrentLinkedDeque<Connection> pool = idle.get(authority);
        if (pool == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection c; (c = pool.pollFirst()) != null; ) {
            if (now - c.lastUsed <= MAX_IDLE_NANOS) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private byte[] encode(Request request, String authority) {
        URI uri = request.uri();
        StringBuilder head = new StringBuilder(256).append(request.method()).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        List<String> h = request.headers();
        for (int i = 0; i < h.size(); i += 2) {
            head.append(h.get(i)).append(": ").append(h.get(i + 1)).append("\r\n");
        }
        if (!cookies.isEmpty()) {
            head.append("Cookie: ");
            String sep = "";
            for (Map.Entry<String, String> c : cookies.entrySet()) {
                head.append(sep).append(c.getKey()).append('=').append(c.getValue());
                sep = "; ";
            }
            head.append("\r\n");
        }
        byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return start;
        }
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    /** Sends on {@code c} and reads the answer; throws {@link ClosedWhileIdle} only where a retry is allowed. */
    private Response exchange(Connection c, byte[] request, boolean head) throws IOException {
        boolean keep = false;
        try {
            try {
                c.out.write(request);
                c.out.flush();
                c.in.peekFirstByte();
            } catch (EOFException | SocketException e) { // a read timeout is no SocketException: never retried
                if (c.reused) {
                    throw new ClosedWhileIdle(e);
                }
                throw e;
            }
            Response response;
            int status;
            do {
                response = readHead(c.in);
                status = response.status();
            } while (status >= 100 && status < 200 && status != 101);
            String connection = response.header("Connection");
            boolean close = connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("close");
            String body;
            String encoding = response.header("Transfer-Encoding");
            String length = response.header("Content-Length");
            if (head || status == 204 || status == 304) {
                body = "";
            } else if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                body = c.in.readChunked();
            } else if (length != null) {
                body = c.in.readText(Integer.parseInt(length.trim()));
            } else {
                body = c.in.readToEnd();
                close = true;
            }
            keep = !close;
            return new Response(status, response.headers(), body);
        } finally {
            if (keep) {
                release(c);
            } else {
                c.close();
            }
        }
    }

    private Response readHead(ResponseReader in) throws IOException {
        String statusLine = in.readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String> headers = new ArrayList<>(24);
        for (String line; !(line = in.readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.add(name);
            headers.add(value);
            if (name.equalsIgnoreCase("Set-Cookie")) {
                keepCookie(value);
            }
        }
        return new Response(status, headers, "");
    }

    private void keepCookie(String setCookie) {
        int semi = setCookie.indexOf(';');
        String pair = semi < 0 ? setCookie : setCookie.substring(0, semi);
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        String attributes = semi < 0 ? ""
                : setCookie.substring(semi).toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (value.isEmpty() || attributes.contains(";max-age=0")) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    /** The server closed a reused connection before any byte of the answer: the request may go once more. */
    private static final class ClosedWhileIdle extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedWhileIdle(IOException cause) {
            super(cause);
        }
    }

    /** One socket, with its buffered reader; used by one worker at a time. */
    private static final class Connection {
        final String authority;
        final Socket socket;
        final OutputStream out;
        final ResponseReader in;
        volatile long lastUsed;
        volatile boolean reused;

        private Connection(String authority, Socket socket) throws IOException {
            this.authority = authority;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new ResponseReader(socket.getInputStream());
        }

        static Connection open(String host, int port, String authority) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
                return new Connection(authority, s);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
