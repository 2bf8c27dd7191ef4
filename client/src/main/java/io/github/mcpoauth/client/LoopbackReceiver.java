package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The redirect target of one authorization request: an HTTP listener on 127.0.0.1 with an ephemeral port
 * (<a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.3">RFC 8252 §7.3</a>, §8.3: the IP literal, not
 * {@code localhost}). It takes the first request to {@code /callback} and closes.
 */
final class LoopbackReceiver implements AutoCloseable {

    private static final String PAGE = "<!doctype html><meta charset=utf-8><title>Authorized</title>"
            + "<p>You can close this window and return to the application.</p>";

    private final HttpServer server;
    private final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();

    LoopbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new ClientAuthorizationException("could not open the loopback redirect listener", e);
        }
        server.createContext("/callback", this::handle);
        server.start();
    }

    URI redirectUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !"/callback".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean first = result.complete(query(exchange.getRequestURI().getRawQuery()));
            byte[] body = (first ? PAGE : "<!doctype html><p>This authorization was already completed.")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.sendResponseHeaders(first ? 200 : 400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Waits for the redirect; its query parameters (first value of each). */
    Map<String, String> await(Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClientAuthorizationException("no authorization response within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientAuthorizationException("interrupted while waiting for the authorization response", e);
        } catch (ExecutionException e) {
            throw new ClientAuthorizationException("authorization response failed", e.getCause());
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.length() > 16_384) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
