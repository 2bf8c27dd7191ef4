package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertLocalErrorPage;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.mcpoauth.core.client.document.AddressPolicy;
import io.github.mcpoauth.core.client.document.MetadataDocumentClients;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SECURITY.md case 26: client ID metadata documents (a {@code client_id} that is an https URL), over real HTTP:
 * the authorization endpoint of McpOAuth (CIMD on by default) must refuse, with its local error page and without
 * connecting anywhere it should not, every URL that resolves to a private, loopback or link-local address; and,
 * against a real HTTPS document server on this machine (loopback allowed, as the development setup documents),
 * every document that is not https, redirects, is oversized, slow, not JSON, or whose {@code client_id} is not
 * its URL.
 */
class ClientDocumentSecurityCasesTest {

    /**
     * Fetch budget where the fetch must complete (judged on the document's content): far above a loopback fetch
     * with the JVM's first TLS handshake, even on a loaded machine, and below the test Browser's 10 s request
     * timeout, so a slow fetch is judged by the server, not cut off by the browser.
     */
    private static final Duration GENEROUS = Duration.ofSeconds(5);
    /** Fetch budget in the part that proves the deadline cuts off a document that never arrives. */
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** How long the held endpoint waits at most: without a deadline the fetch then succeeds and the test fails. */
    private static final long HOLD_LIMIT_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void case26_whenClientIdDocumentIsPrivateRedirectingNotHttpsOversizedSlowOrMismatchedThenRejected()
            throws Exception {
        // 1. Production defaults: nothing local is ever fetched, not even a first byte sent.
        try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SecurityFixture fx = SecurityFixture.start()) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!trap.isClosed()) {
                    try (Socket s = trap.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            McpClient client = new McpClient(fx.server, fx.browser);
            int port = trap.getLocalPort();
            for (String url : List.of("https://127.0.0.1:" + port + "/c.json", "https://localhost:" + port + "/c.json",
                    "https://[::1]:" + port + "/c.json", "https://[::ffff:127.0.0.1]:" + port + "/c.json",
                    "https://127.1:" + port + "/c.json", "https://0.0.0.0:" + port + "/c.json",
                    "https://10.0.0.7/c.json", "https://192.168.1.1/c.json", "https://172.16.0.1/c.json",
                    "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/c.json", "https://100.64.0.1/c",
                    "http://127.0.0.1:" + port + "/c.json", "https://127.0.0.1:" + port + "/c.json?x=1",
                    "https://127.0.0.1:" + port + "/a/../c.json", "https://user@127.0.0.1:" + port + "/c.json")) {
                assertLocalErrorPage(fx.browser.get(authorize(client, url)));
            }
            assertThat(connections.get()).as("connections to the loopback trap").isZero();
            assertThat(fx.audit.types()).doesNotContain(AuditEvent.Type.CODE_ISSUED);
        }

        // 2. Development setup (loopback allowed) against a real HTTPS server: the document's own faults.
        TestTls tls = TestTls.create(dir);
        try (DocumentServer docs = new DocumentServer(tls.server)) {
            try (SecurityFixture fx = documentFixture(tls, GENEROUS)) {
                McpClient client = new McpClient(fx.server, fx.browser);
                String good = docs.url("client.test", "/good.json");
                docs.json("/good.json", document(good, client.redirectUri()));
                docs.route("/redirect.json", ex -> DocumentServer.respond(ex, 302, null, "", "Location", good));
                String redirect = docs.url("client.test", "/redirect.json");
                String mismatch = docs.url("client.test", "/mismatch.json");
                docs.json("/mismatch.json", document(good, client.redirectUri()));
                String big = docs.url("client.test", "/big.json");
                docs.json("/big.json", document(big, client.redirectUri()).replace("}",
                        ",\"padding\":\"" + "x".repeat(6 * 1024) + "\"}"));
                String html = docs.url("client.test", "/page.html");
                docs.route("/page.html", ex -> DocumentServer.respond(ex, 200, "text/html",
                        document(html, client.redirectUri())));
                String privateName = docs.url("private.test", "/good.json");
                String plainHttp = good.replace("https://", "http://");

                for (String url : List.of(redirect, mismatch, big, html, privateName, plainHttp)) {
                    HttpResponse<String> r = fx.browser.get(authorize(client, url));
                    assertLocalErrorPage(r);
                }
                // the redirect was not followed; the private name and plain http were never fetched
                assertThat(docs.hits("/redirect.json")).isEqualTo(1);
                assertThat(docs.hits("/good.json")).isZero();
                // a good document, for contrast: the request is valid and goes on to the login
                HttpResponse<String> ok = fx.browser.get(authorize(client, good));
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(302);
                assertThat(Browser.location(ok).getPath()).isEqualTo("/login");
                assertThat(docs.hits("/good.json")).isEqualTo(1);
            }

            // 3. The deadline: a valid document that does not arrive within the fetch budget is refused. The
            // endpoint holds its answer on a latch, opened only after the refusal; a fetch without a deadline
            // would get the valid document after HOLD_LIMIT_SECONDS and go on to the login, failing this test.
            CountDownLatch hold = new CountDownLatch(1);
            try (SecurityFixture fx = documentFixture(tls, DEADLINE)) {
                McpClient client = new McpClient(fx.server, fx.browser);
                String slow = docs.url("client.test", "/slow.json");
                docs.route("/slow.json", ex -> {
                    try {
                        hold.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    DocumentServer.respond(ex, 200, "application/json", document(slow, client.redirectUri()));
                });
                assertLocalErrorPage(fx.browser.get(authorize(client, slow)));
                assertThat(fx.audit.types()).doesNotContain(AuditEvent.Type.CODE_ISSUED);
            } finally {
                hold.countDown();
            }
        }
    }

    /** Development setup: loopback allowed, {@code client.test} resolving to it, trusting the test TLS. */
    private static SecurityFixture documentFixture(TestTls tls, Duration fetchBudget) throws Exception {
        return SecurityFixture.withStores(clock -> {
            Stores stores = InMemoryStores.create(clock);
            AuthorizationServerSettings scopesAndClock = AuthorizationServerSettings.builder()
                    .issuer("https://unused.example").clock(clock).build();
            return stores.withClients(MetadataDocumentClients.builder()
                    .delegate(stores.clients())
                    .settings(scopesAndClock)
                    .addressPolicy(a -> a.isLoopbackAddress() || AddressPolicy.publicOnly().permits(a))
                    .resolver(host -> resolve(host))
                    .sslContext(tls.client)
                    .timeout(fetchBudget)
                    .build());
        }, o -> { });
    }

    private static URI authorize(McpClient client, String clientId) {
        return client.authorizeUri(McpClient.pkce(), "st", "client_id", clientId);
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "client.test" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            case "private.test" -> List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7}));
            default -> throw new UnknownHostException(host);
        };
    }

    private static String document(String clientId, String redirectUri) {
        return "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Document Client\",\"redirect_uris\":[\""
                + redirectUri + "\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"response_types\":[\"code\"],\"token_endpoint_auth_method\":\"none\"}";
    }

    /** A JDK HTTPS server on loopback answering per path, counting the requests each path got. */
    private static final class DocumentServer implements AutoCloseable {
        private final HttpsServer server;
        private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

        DocumentServer(SSLContext tls) throws IOException {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "document-server");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getRawPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                try (exchange) {
                    HttpHandler h = routes.get(path);
                    if (h == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        h.handle(exchange);
                    }
                } catch (IOException | RuntimeException e) {
                    // the client hung up (e.g. at its deadline)
                }
            });
            server.start();
        }

        String url(String host, String path) {
            return "https://" + host + ":" + server.getAddress().getPort() + path;
        }

        void route(String path, HttpHandler handler) {
            routes.put(path, handler);
        }

        void json(String path, String body) {
            route(path, ex -> respond(ex, 200, "application/json", body));
        }

        int hits(String path) {
            AtomicInteger n = hits.get(path);
            return n == null ? 0 : n.get();
        }

        static void respond(HttpExchange ex, int status, String contentType, String body, String... headers)
                throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                ex.getResponseHeaders().add("Content-Type", contentType);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
