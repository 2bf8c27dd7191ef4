package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small MCP resource server and authorization server on 127.0.0.1 over real HTTP, whose every document and
 * answer a test can replace to play a hostile or broken server.
 */
final class FakeServer implements AutoCloseable {

    final HttpServer http;
    final String base;
    /** Path → JSON body for GET; replaced by tests. */
    final Map<String, String> documents = new ConcurrentHashMap<>();
    /** Path → raw handler, taking precedence over documents. */
    final Map<String, Function<HttpExchange, Boolean>> overrides = new ConcurrentHashMap<>();
    final AtomicInteger authorizeRequests = new AtomicInteger();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final AtomicInteger refreshRequests = new AtomicInteger();
    final Map<String, Set<String>> issued = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile String lastTokenForm = "";
    volatile String lastAuthorizeQuery = "";
    /** Scopes the MCP endpoint requires; a token lacking one gets 403 insufficient_scope. */
    volatile Set<String> required = Set.of();
    volatile Function<Map<String, String>, String> redirectTamper;
    volatile int expiresIn = 3600;

    FakeServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        base = "http://127.0.0.1:" + http.getAddress().getPort();
        redirectTamper = q -> "code=the-code&state=" + q.get("state") + "&iss=" + base;
        documents.put("/.well-known/oauth-protected-resource/mcp", "{\"resource\":\"" + base
                + "/mcp\",\"authorization_servers\":[\"" + base + "\"],\"scopes_supported\":[\"mcp\"]}");
        documents.put("/.well-known/oauth-authorization-server", "{\"issuer\":\"" + base
                + "\",\"authorization_endpoint\":\"" + base + "/authorize\",\"token_endpoint\":\"" + base
                + "/token\",\"registration_endpoint\":\"" + base + "/register\","
                + "\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"authorization_response_iss_parameter_supported\":true}");
        http.createContext("/", this::handle);
        http.start();
    }

    URI mcp() {
        return URI.create(base + "/mcp");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Function<HttpExchange, Boolean> override = overrides.get(path);
            if (override != null && override.apply(ex)) {
                return;
            }
            switch (path) {
                case "/mcp" -> mcp(ex);
                case "/register" -> send(ex, 201, "{\"client_id\":\"c1\",\"token_endpoint_auth_method\":\"none\"}");
                case "/authorize" -> {
                    authorizeRequests.incrementAndGet();
                    lastAuthorizeQuery = ex.getRequestURI().getRawQuery();
                    Map<String, String> q = LoopbackReceiver.query(ex.getRequestURI().getRawQuery());
                    ex.getResponseHeaders().set("Location", q.get("redirect_uri") + "?" + redirectTamper.apply(q));
                    ex.sendResponseHeaders(302, -1);
                }
                case "/token" -> token(ex);
                default -> {
                    String doc = documents.get(path);
                    if (doc == null) {
                        send(ex, 404, "{}");
                    } else {
                        send(ex, 200, doc);
                    }
                }
            }
        }
    }

    private void mcp(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String prm = base + "/.well-known/oauth-protected-resource/mcp";
        Set<String> scopes = auth == null ? null : issued.get(auth.substring("Bearer ".length()));
        if (scopes == null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + prm + "\""
                    + (auth == null ? "" : ", error=\"invalid_token\""));
            send(ex, 401, "{}");
        } else if (!scopes.containsAll(required)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                    + String.join(" ", required) + "\", resource_metadata=\"" + prm + "\"");
            send(ex, 403, "{}");
        } else {
            send(ex, 200, "{\"ok\":true}");
        }
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        lastTokenForm = form;
        Map<String, String> f = LoopbackReceiver.query(form);
        if ("refresh_token".equals(f.get("grant_type"))) {
            refreshRequests.incrementAndGet();
            if (!f.getOrDefault("refresh_token", "").startsWith("rt-")) {
                send(ex, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
        }
        String access = "at-" + tokenRequests.get();
        String scope = f.getOrDefault("scope",
                LoopbackReceiver.query(lastAuthorizeQuery).getOrDefault("scope", "mcp"));
        if ("refresh_token".equals(f.get("grant_type"))) {
            scope = String.join(" ", required.isEmpty() ? Set.of("mcp") : required);
        }
        issued.put(access, Set.of(scope.split(" ")));
        send(ex, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + ",\"refresh_token\":\"rt-" + tokenRequests.get() + "\",\"scope\":\"" + scope + "\"}");
    }

    /** Never answers until the test ends: a slow server. */
    boolean stall(HttpExchange ex) {
        try {
            release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Calls the MCP endpoint through the client's API the way any HTTP stack would, retrying as told. */
    int call(McpOAuthClient client) throws Exception {
        HttpClient hc = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(mcp()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            Map<String, String> headers = client.authorizationHeaders("POST", mcp());
            headers.forEach(b::header);
            HttpResponse<String> r = hc.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 401 && r.statusCode() != 403) {
                return r.statusCode();
            }
            if (!client.handleAuthorizationError(r.statusCode(), r.headers(),
                    java.util.Optional.ofNullable(headers.get("Authorization")))) {
                return r.statusCode();
            }
        }
        throw new AssertionError("the client retried more than 10 times");
    }

    /** A headless browser: follows the authorization endpoint's redirect to the loopback listener. */
    static AuthorizationUrlHandler browser() {
        HttpClient hc = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        return url -> {
            HttpResponse<Void> r = hc.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            List<String> loc = r.headers().allValues("Location");
            hc.send(HttpRequest.newBuilder(url.resolve(loc.get(0))).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
        };
    }

    @Override
    public void close() {
        release.countDown();
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
