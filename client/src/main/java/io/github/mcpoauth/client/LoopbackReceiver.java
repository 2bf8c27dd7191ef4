package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The redirect target of one authorization request: an HTTP listener on 127.0.0.1 with an ephemeral port
 * (<a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.3">RFC 8252 §7.3</a>, §8.3: the IP literal, not
 * {@code localhost}). Only a request to {@code /callback} carrying the pending request's {@code state} completes the
 * login; any other (a browser prefetch, another local process) gets a 400 and the listener keeps waiting until the
 * login deadline. An error response (RFC 6749 §4.1.2.1) shows an error page, not the success page.
 */
final class LoopbackReceiver implements AutoCloseable {

    private static final String SUCCESS = "<!doctype html><meta charset=utf-8><title>Authorized</title>"
            + "<p>You can close this window and return to the application.</p>";
    private static final String REFUSED = "<!doctype html><meta charset=utf-8><title>Authorization failed</title>"
            + "<p>Authorization failed: the authorization server answered with an error. You can close this window;"
            + " the application says what went wrong.</p>";
    private static final String FOREIGN = "<!doctype html><meta charset=utf-8><title>Unexpected response</title>"
            + "<p>This response does not belong to the pending authorization request.</p>";
    private static final String DONE = "<!doctype html><meta charset=utf-8><title>Already completed</title>"
            + "<p>This authorization was already completed.</p>";

    private final HttpServer server;
    private final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
    private final AtomicInteger foreign = new AtomicInteger();
    private volatile byte[] expectedState;

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

    /** The {@code state} of the authorization request about to be sent: only a response carrying it is taken. */
    void expectState(String state) {
        this.expectedState = Objects.requireNonNull(state, "state").getBytes(StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !"/callback".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
            byte[] expected = expectedState;
            String state = params.get("state");
            if (expected == null || state == null
                    || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), expected)) {
                foreign.incrementAndGet();
                page(exchange, 400, FOREIGN);
            } else if (!result.complete(params)) {
                page(exchange, 400, DONE);
            } else {
                page(exchange, params.containsKey("error") ? 400 : 200,
                        params.containsKey("error") ? REFUSED : SUCCESS);
            }
        }
    }

    private static void page(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Waits for the redirect carrying the expected state; its query parameters (first value of each). */
    Map<String, String> await(Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            int refused = foreign.get();
            throw new ClientAuthorizationException("no authorization response within " + timeout + (refused == 0 ? ""
                    : " (" + refused + " request(s) to the redirect URI without the request's state were refused)"));
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
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: the pair is ignored
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
