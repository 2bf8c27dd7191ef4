package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link TestServer} on a {@link MutableClock} with a {@link RecordingAuditListener}, plus the steps the security
 * tests repeat: register a client, run a grant, fetch a consent page, introspect as a resource server.
 */
final class SecurityFixture implements AutoCloseable {

    /** Tokens of one completed authorization. */
    record Tokens(String accessToken, String refreshToken, String code, String verifier) {
    }

    final MutableClock clock = MutableClock.at(java.time.Instant.now());
    final RecordingAuditListener audit = new RecordingAuditListener();
    final TestServer server;
    final Browser browser = new Browser();
    private McpClient resourceServer;

    private SecurityFixture(BiConsumer<TestServer.Builder, MutableClock> serverCustomizer,
            Consumer<McpOAuth.Builder> oauth) throws Exception {
        TestServer.Builder b = TestServer.builder().clock(clock);
        serverCustomizer.accept(b, clock);
        AuditListener logging = AuditListener.logging();
        b.oauth(o -> {
            o.auditListener(e -> {
                audit.onEvent(e);
                logging.onEvent(e); // the default listener too, so log checks see what a host would log
            });
            oauth.accept(o);
        });
        this.server = b.start();
    }

    static SecurityFixture start() throws Exception {
        return new SecurityFixture((b, c) -> { }, o -> { });
    }

    /** A fixture with server settings adjusted by {@code settings}. */
    static SecurityFixture withSettings(Consumer<AuthorizationServerSettings.Builder> settings) throws Exception {
        return new SecurityFixture((b, c) -> b.settings(settings), o -> { });
    }

    /**
     * A fixture whose test server {@code server} adjusts (but must not call {@code oauth(…)}) and whose McpOAuth
     * {@code oauth} adjusts (after the fixture's audit listener is set).
     */
    static SecurityFixture start(Consumer<TestServer.Builder> server, Consumer<McpOAuth.Builder> oauth)
            throws Exception {
        return new SecurityFixture((b, c) -> server.accept(b), oauth);
    }

    /** A fixture whose stores {@code stores} makes on the fixture's clock. */
    static SecurityFixture withStores(Function<Clock, Stores> stores, Consumer<McpOAuth.Builder> oauth)
            throws Exception {
        return new SecurityFixture((b, c) -> b.stores(stores.apply(c)), oauth);
    }

    URI uri(String path) {
        return server.uri(path);
    }

    String issuer() {
        return server.baseUri().toString();
    }

    /** A new public client, registered, sharing this fixture's browser (and its login). */
    McpClient publicClient() throws Exception {
        return registered(new McpClient(server, browser), "none");
    }

    /** A new client with {@code method} ({@code none}, {@code client_secret_basic}, {@code client_secret_post}). */
    McpClient client(String method) throws Exception {
        return registered(new McpClient(server, browser), method);
    }

    /** A new client on its own {@code browser} (another user agent, another session). */
    McpClient client(Browser otherBrowser, String method) throws Exception {
        return registered(new McpClient(server, otherBrowser), method);
    }

    private static McpClient registered(McpClient c, String method) throws Exception {
        HttpResponse<String> r = c.register(method);
        assertThat(r.statusCode()).as("registration: %s", r.body()).isEqualTo(201);
        return c;
    }

    /** Runs the browser part for {@code user} and redeems the code: a fresh grant. */
    Tokens grant(McpClient client, String user) throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String code = code(client, pkce, user);
        HttpResponse<String> r = client.redeem(code, pkce.verifier());
        assertThat(r.statusCode()).as("redeem: %s", r.body()).isEqualTo(200);
        JsonNode t = McpClient.json(r);
        return new Tokens(t.get("access_token").asText(),
                t.hasNonNull("refresh_token") ? t.get("refresh_token").asText() : null, code, pkce.verifier());
    }

    /** Runs the browser part for {@code user} and returns the issued code. */
    String code(McpClient client, McpClient.Pkce pkce, String user) throws Exception {
        URI callback = client.authorize(pkce, "st", user);
        Map<String, String> q = Browser.query(callback);
        assertThat(q).as("callback %s", callback).containsKey("code");
        return q.get("code");
    }

    /**
     * GETs {@code authorizeUri} on {@code browser}, logging {@code user} in if asked, and returns the response that
     * follows the login (the consent page, a redirect, or an error).
     */
    HttpResponse<String> authorizeAs(Browser b, URI authorizeUri, String user) throws Exception {
        HttpResponse<String> r = b.get(authorizeUri);
        if (r.statusCode() == 302 && Browser.location(r).getPath().equals("/login")) {
            String ret = Browser.query(Browser.location(r)).get("return");
            r = b.post(uri("/login"), Map.of("username", List.of(user), "password",
                    List.of(TestServer.USERS.get(user)), "return", List.of(ret)));
            r = b.get(Browser.location(r));
        }
        return r;
    }

    /** The consent page for {@code client}'s request, on {@code b}, for {@code user}. */
    HttpResponse<String> consentPage(Browser b, McpClient client, McpClient.Pkce pkce, String user) throws Exception {
        HttpResponse<String> r = authorizeAs(b, client.authorizeUri(pkce, "st"), user);
        assertThat(r.statusCode()).as("consent page: %s", r.body()).isEqualTo(200);
        return r;
    }

    /** A confidential client acting as a resource server, for introspection. */
    McpClient resourceServer() throws Exception {
        if (resourceServer == null) {
            resourceServer = client(new Browser(), "client_secret_basic");
        }
        return resourceServer;
    }

    /** Introspects {@code token} as the resource server. */
    HttpResponse<String> introspect(String token) throws Exception {
        return resourceServer().authenticated(uri("/oauth2/introspect"), Map.of("token", List.of(token)));
    }

    /** Whether {@code token} is active according to introspection. */
    boolean active(String token) throws Exception {
        HttpResponse<String> r = introspect(token);
        assertThat(r.statusCode()).as("introspection: %s", r.body()).isEqualTo(200);
        return McpClient.json(r).get("active").asBoolean();
    }

    /** A form with {@code pairs} (name, value, …). */
    static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            f.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return f;
    }

    /** Sends a raw request on a fresh (cookie-less) client. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return new Browser().http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A request builder for {@code path} with a 10 second timeout. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
