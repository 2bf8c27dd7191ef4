package io.github.mcpoauth.core.client.document;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server on 127.0.0.1 (JDK {@code HttpsServer}) whose responses each test programs per path, and
 * which counts the requests each path received.
 */
final class DocumentServer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "document-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    DocumentServer(SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            HttpHandler handler = routes.get(path);
            try (exchange) {
                if (handler == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    handler.handle(exchange);
                }
            } catch (IOException | RuntimeException e) {
                // The client hung up or a test handler was interrupted: nothing to answer.
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://host:port/path} on this server. */
    String url(String host, String path) {
        return "https://" + host + ":" + port() + path;
    }

    /** Answers {@code path} with {@code handler}. */
    void route(String path, HttpHandler handler) {
        routes.put(path, handler);
    }

    /** Answers {@code path} with 200, {@code application/json} and {@code body}, plus {@code headers}. */
    void json(String path, String body, String... headers) {
        route(path, exchange -> respond(exchange, 200, "application/json", body, false, headers));
    }

    /** How many requests {@code path} received. */
    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    void reset() {
        routes.clear();
        hits.clear();
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body, boolean chunked,
            String... headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
