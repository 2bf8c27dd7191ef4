package io.github.mcpoauth.examples.jetty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One client of {@link WarmStart}'s load on a twin: registers (RFC 7591), signs the demo user in and approves the
 * client as a new browser ({@link BrowserSession}), then runs rounds (authorization with PKCE, code exchange, refresh
 * with rotation, MCP {@code tools/list} through the bearer guard), asking for {@code scope} (the twin's); its HTTP
 * clients run on {@code executor}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749, section 4.1 (authorization code
 *     grant)</a>
 */
record WarmUpDriver(HttpClient http, ExecutorService executor, URI register, URI authorize, URI token, URI mcp,
        String scope) {

    /** The demo user the warm-up signs in as ({@link DemoUsers#DEFAULT}), on the twin only. */
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-password";
    private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final ObjectMapper JSON = new ObjectMapper();
    /** No request of the warm-up waits longer: a stuck twin must not keep the real server from starting. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Registers a client; then, as a new browser, signs the warm-up user in and approves the client on its first
     * authorization; then runs at most {@value WarmStart#ROUNDS_PER_CLIENT} rounds until {@code deadline} (which the
     * JIT's watcher may pull in).
     */
    void session(AtomicLong deadline, Tally tally) throws Exception {
        BrowserSession browser = new BrowserSession(executor, REQUEST_TIMEOUT);
        JsonNode registered = json(send(post(register, "application/json", "{\"client_name\":\"warm-up\","
                + "\"redirect_uris\":[\"" + REDIRECT_URI + "\"],\"token_endpoint_auth_method\":\"none\","
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                + "\"scope\":\"" + scope + "\"}"), 201));
        String clientId = registered.path("client_id").asText();
        tally.clients.incrementAndGet();
        String mcpSession = null;
        for (int round = 0; round < WarmStart.ROUNDS_PER_CLIENT && System.nanoTime() < deadline.get(); round++) {
            JsonNode tokens = authorize(browser, clientId);
            tokens = json(send(post(token, "application/x-www-form-urlencoded", form(
                    "grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asText(),
                    "client_id", clientId, "resource", mcp.toString())), 200));
            String bearer = tokens.path("access_token").asText();
            if (mcpSession == null) {
                HttpResponse<String> init = send(mcpPost(bearer, null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
                        + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"warm-up\",\"version\":\"1\"}}}"), 200);
                mcpSession = init.headers().firstValue("Mcp-Session-Id")
                        .orElseThrow(() -> new IOException("initialize without Mcp-Session-Id"));
                send(mcpPost(bearer, mcpSession, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                        202);
            }
            send(mcpPost(bearer, mcpSession, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), 200);
            tally.rounds.incrementAndGet();
        }
    }

    /**
     * The browser's authorization request (the sign-in and consent pages the first time, then one redirect back)
     * and the code exchange.
     */
    private JsonNode authorize(BrowserSession browser, String clientId) throws Exception {
        byte[] v = new byte[32];
        RANDOM.nextBytes(v);
        String verifier = B64.encodeToString(v);
        String query = form("response_type", "code", "client_id", clientId, "redirect_uri", REDIRECT_URI,
                "code_challenge", B64.encodeToString(sha256(verifier)), "code_challenge_method", "S256",
                "scope", scope, "state", "s", "resource", mcp.toString());
        URI callback = browser.authorize(URI.create(authorize + "?" + query), REDIRECT_URI, USER, PASSWORD);
        String code = null;
        for (String pair : callback.getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        if (code == null) {
            throw new IOException("authorization without a code: " + callback.getRawQuery());
        }
        return json(send(post(token, "application/x-www-form-urlencoded", form("grant_type",
                "authorization_code", "code", code, "redirect_uri", REDIRECT_URI, "code_verifier", verifier,
                "client_id", clientId, "resource", mcp.toString())), 200));
    }

    private HttpRequest post(URI to, String contentType, String body) {
        return HttpRequest.newBuilder(to).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest mcpPost(String bearer, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(mcp).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18")
                .header("Authorization", "Bearer " + bearer);
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(request.method() + " " + request.uri().getPath() + ": HTTP " + r.statusCode()
                    + " where " + expected + " was expected");
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** {@code pairs} (name, value, name, value, …) form-encoded ({@link BrowserForm#form}). */
    private static String form(String... pairs) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return BrowserForm.form(fields);
    }

    private static byte[] sha256(String s) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** What the twins' clients did so far: rounds completed, clients registered, failures and the first one. */
    static final class Tally {
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong clients = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        void failed(Exception e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e.toString());
        }
    }
}
