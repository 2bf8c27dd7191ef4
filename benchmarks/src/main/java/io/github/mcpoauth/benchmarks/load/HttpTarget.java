package io.github.mcpoauth.benchmarks.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mcpoauth.examples.jetty.BrowserForm;

/**
 * The HTTP conversation the harness holds with one authorization server (ours or the TypeScript reference), the
 * same requests on both: dynamic registration (RFC 7591), the browser's authorization request with PKCE (a session
 * already signed in, consent remembered) and the client's code exchange, refresh, and MCP {@code tools/list} with a
 * bearer token. Every unexpected answer throws, and the runner counts it as an error. The requests go through an
 * {@link HttpSender}: the lean client (the default) or the JDK {@code HttpClient}, the same one on every side. As in
 * life, the browser and the client application are two user agents: only the browser's requests (authorization,
 * sign-in, consent) carry the session cookie the sign-in set; registration, token and MCP requests carry none.
 */
final class HttpTarget implements AutoCloseable {

    static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        keepPooledConnectionsBriefly();
    }

    /**
     * Has the JDK client drop an idle pooled connection after 10 s, before a server's idle timeout (the example's:
     * 30 s) closes it under a request being sent on it ({@code IOException: HTTP/1.1 header parser received no
     * bytes}). The JDK reads this property once, when the first {@code HttpClient} of the JVM is built, and the
     * servers the harness starts build one (the verifier's), so {@link LoadHarness} calls this before it starts
     * them.
     */
    static void keepPooledConnectionsBriefly() {
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "10");
        }
    }

    private final String name;
    /** The client application's requests: registration, token, MCP (no browser cookies). */
    private final HttpSender http;
    /** The browser's requests: authorization, sign-in, consent, with the session cookie the sign-in set. */
    private final HttpSender browser;
    private final URI authorize;
    private final URI token;
    private final URI register;
    private final URI mcp;
    private final String scope;
    private final boolean mcpSessions;

    /** A registered client, its latest tokens and (on a stateful MCP server) its MCP session. */
    static final class Client {
        final String clientId;
        volatile String accessToken;
        volatile String refreshToken;
        volatile String mcpSession;

        Client(String clientId) {
            this.clientId = clientId;
        }
    }

    private HttpTarget(String name, HttpSender http, HttpSender browser, URI base, URI mcp, String scope,
            boolean mcpSessions, Map<String, String> endpoints) {
        this.name = name;
        this.http = http;
        this.browser = browser;
        this.authorize = base.resolve(endpoints.getOrDefault("authorization_endpoint", "/authorize"));
        this.token = base.resolve(endpoints.getOrDefault("token_endpoint", "/token"));
        this.register = base.resolve(endpoints.getOrDefault("registration_endpoint", "/register"));
        this.mcp = mcp;
        this.scope = scope;
        this.mcpSessions = mcpSessions;
    }

    /**
     * Reads the server's RFC 8414 metadata at {@code base}. {@code mcpSessions}: the MCP endpoint is stateful (an
     * {@code initialize} per client opens an {@code Mcp-Session-Id}). {@code client}: which HTTP client sends
     * (two new ones for this target, the browser's and the client application's, each with its own connections and
     * cookies).
     */
    static HttpTarget discover(String name, URI base, URI mcp, String scope, boolean mcpSessions,
            HttpSender.Kind client) throws Exception {
        HttpSender http = client.newSender();
        Map<String, String> endpoints = new LinkedHashMap<>();
        if (base != null) {
            HttpSender.Response md = http.send(HttpSender.Request.get(
                    base.resolve("/.well-known/oauth-authorization-server")));
            expect(md, 200, "metadata");
            for (String f : new String[] {"authorization_endpoint", "token_endpoint", "registration_endpoint"}) {
                endpoints.put(f, Json.string(md.body(), f));
            }
        }
        return new HttpTarget(name, http, client.newSender(), base == null ? mcp : base, mcp, scope, mcpSessions,
                endpoints);
    }

    String name() {
        return name;
    }

    /** Closes the connections this target's two senders keep open. */
    @Override
    public void close() {
        http.close();
        browser.close();
    }

    /** The requests sent again after a server closed an idle pooled connection, so far ({@link HttpSender}). */
    long retries() {
        return http.retries() + browser.retries();
    }

    /**
     * Opens connections until each of the two senders holds {@code n} idle ones to the server (the browser's and
     * the client application's), as {@code n} clients that have each been through their first authorization would:
     * clients set up one after another share one, and {@code n} workers would open the others during the first
     * measured requests.
     */
    void connect(int n) throws java.io.IOException {
        http.connect(register, n);
        browser.connect(authorize, n);
    }

    /** RFC 7591 registration of a public client; returns its {@code client_id}. */
    String register() throws Exception {
        String body = "{\"client_name\":\"load harness\",\"redirect_uris\":[\"" + REDIRECT_URI + "\"],"
                + "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"response_types\":[\"code\"],\"scope\":\"" + scope + "\"}";
        HttpSender.Response r = http.send(HttpSender.Request.post(register, body, "Content-Type", "application/json"));
        expect(r, 201, "registration");
        return Json.string(r.body(), "client_id");
    }

    /** A new registered client that went through one whole authorization (sign-in and consent on first sight). */
    Client newClient() throws Exception {
        Client c = new Client(register());
        flow(c);
        return c;
    }

    /**
     * {@code n} workers' clients, each registered and through its first authorization (sign-in, consent), not
     * measured. A failed set-up is tried twice more and said to {@code progress}: on a cold JVM on a busy machine the
     * example's minimum request data rate (1 KiB/s from the request's start) can refuse the first small bodies.
     */
    List<Client> newClients(int n, java.util.function.Consumer<String> progress) throws Exception {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int attempt = 1; ; attempt++) {
                try {
                    out.add(newClient());
                    break;
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    progress.accept("set-up of a client on " + name + " failed, trying again: " + e);
                }
            }
        }
        return out;
    }

    /**
     * One full flow: the browser's authorization request (already signed in, consent remembered: one redirect
     * back with the code; on a first authorization the sign-in and consent forms are filled in) and the code
     * exchange. Leaves the new tokens in {@code c}.
     */
    void flow(Client c) throws Exception {
        byte[] v = new byte[32];
        RANDOM.nextBytes(v);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(v);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String state = Long.toHexString(RANDOM.nextLong());
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", c.clientId);
        q.put("redirect_uri", REDIRECT_URI);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        q.put("scope", scope);
        q.put("state", state);
        q.put("resource", mcp.toString());
        URI callback = browse(URI.create(authorize + "?" + BrowserForm.form(q)));
        Map<String, String> params = query(callback);
        if (!state.equals(params.get("state")) || params.get("code") == null) {
            throw new IllegalStateException(name + ": bad callback " + params.keySet());
        }
        Map<String, String> t = new LinkedHashMap<>();
        t.put("grant_type", "authorization_code");
        t.put("code", params.get("code"));
        t.put("redirect_uri", REDIRECT_URI);
        t.put("code_verifier", verifier);
        t.put("client_id", c.clientId);
        t.put("resource", mcp.toString());
        tokens(c, t);
    }

    /** One refresh with rotation: the client keeps the new refresh token. */
    void refresh(Client c) throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("grant_type", "refresh_token");
        t.put("refresh_token", c.refreshToken);
        t.put("client_id", c.clientId);
        t.put("resource", mcp.toString());
        tokens(c, t);
    }

    private void tokens(Client c, Map<String, String> params) throws Exception {
        HttpSender.Response r = http.send(HttpSender.Request.post(token, BrowserForm.form(params),
                "Content-Type", "application/x-www-form-urlencoded"));
        expect(r, 200, "token");
        c.accessToken = Json.string(r.body(), "access_token");
        String refresh = Json.string(r.body(), "refresh_token");
        if (refresh != null) {
            c.refreshToken = refresh;
        }
    }

    /** Opens the client's MCP session when the endpoint is stateful ({@code initialize}, then initialized). */
    void openMcpSession(Client c) throws Exception {
        if (!mcpSessions) {
            return;
        }
        HttpSender.Response init = mcpPost(c.accessToken, null,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"load\",\"version\":\"1\"}}}");
        expect(init, 200, "initialize");
        c.mcpSession = init.header("Mcp-Session-Id");
        if (c.mcpSession == null) {
            throw new IllegalStateException(name + ": no Mcp-Session-Id");
        }
        HttpSender.Response done = mcpPost(c.accessToken, c.mcpSession,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        expect(done, 202, "notifications/initialized");
    }

    /** MCP {@code tools/list} with {@code bearer} (none when {@code null}) on the client's session, if any. */
    void toolsList(String bearer, Client c) throws Exception {
        HttpSender.Response r = mcpPost(bearer, c.mcpSession,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        expect(r, 200, "tools/list");
        if (!r.body().contains("\"tools\"")) {
            throw new IllegalStateException(name + ": tools/list without tools");
        }
    }

    private HttpSender.Response mcpPost(String bearer, String session, String json) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2025-06-18"));
        if (bearer != null) {
            headers.add("Authorization");
            headers.add("Bearer " + bearer);
        }
        if (session != null) {
            headers.add("Mcp-Session-Id");
            headers.add(session);
        }
        return http.send(new HttpSender.Request("POST", mcp, headers, json));
    }

    /** Follows the browser's way from the authorization URL to the redirect back to the client. */
    private URI browse(URI start) throws Exception {
        URI next = start;
        String body = null;
        for (int step = 0; step < 12; step++) {
            HttpSender.Response response = browser.send(body == null ? HttpSender.Request.get(next)
                    : HttpSender.Request.post(next, body, "Content-Type", "application/x-www-form-urlencoded",
                            "Origin", next.getScheme() + "://" + next.getRawAuthority()));
            if (response.status() / 100 == 3) {
                String where = response.header("Location");
                if (where == null) {
                    throw new IllegalStateException(name + ": HTTP " + response.status() + " without Location");
                }
                URI location = next.resolve(where);
                if (location.toString().startsWith(REDIRECT_URI)) {
                    return location;
                }
                next = location;
                body = null;
                continue;
            }
            expect(response, 200, "authorization page");
            BrowserForm.Submission form = BrowserForm.submit(response.body(), next, "alice", "alice-password");
            body = form.body();
            next = form.action();
        }
        throw new IllegalStateException(name + ": the authorization did not come back in 12 steps");
    }


    private static void expect(HttpSender.Response r, int status, String what) {
        if (r.status() != status) {
            String body = r.body() == null ? "" : r.body();
            throw new IllegalStateException(what + ": HTTP " + r.status() + " "
                    + body.substring(0, Math.min(200, body.length())));
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return out;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }



    /**
     * The few string fields the harness reads from JSON answers, without a JSON library. A field's pattern is
     * compiled once: compiling it per answer cost the generator a few microseconds per flow.
     */
    static final class Json {
        private static final Map<String, Pattern> FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

        private Json() {
        }

        static String string(String json, String field) {
            Matcher m = FIELDS.computeIfAbsent(field, f -> Pattern.compile(
                    "\"" + Pattern.quote(f) + "\"\\s*:\\s*\"([^\"]*)\"")).matcher(json);
            return m.find() ? m.group(1).replace("\\/", "/") : null;
        }
    }
}
