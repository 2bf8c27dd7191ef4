package io.github.mcpoauth.servlet.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.servlet.multinode.Nodes.Code;
import io.github.mcpoauth.servlet.multinode.Nodes.Tokens;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nodes on an empty database making the first signing key (a fresh deployment's first requests). */
@Timeout(60)
class FirstSigningKeyTest {

    private TestServer a;
    private TestServer b;

    /** Starts PostgreSQL outside the per-test time limit (a class-level {@code @Timeout} skips lifecycle methods). */
    @BeforeAll
    static void startDatabase() {
        EmbeddedPostgresDatabase.dataSource();
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void whenFreshNodeServesJwksBeforeAnyTokenThenItPublishesTheKeyItMade() throws Exception {
        a = Nodes.start(EmbeddedPostgresDatabase.newMigratedDataSource(), null, 0);
        Browser browser = new Browser();

        HttpResponse<String> first = browser.get(a.uri("/oauth2/jwks"));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(McpClient.json(first).get("keys")).hasSize(1);
        assertThat(McpClient.json(browser.get(a.uri("/oauth2/jwks")))).isEqualTo(McpClient.json(first));
    }

    /**
     * Two nodes starting together on an empty database, the interleaving forced: node B, starting, reads the empty
     * key table and makes its key (a server makes its first key when it is built), then waits before saving it until
     * node A has started and made, saved and published its own.
     */
    @Test
    void whenTwoNodesMakeTheFirstKeyAtOnceThenEachAcceptsTheTokensTheOtherSigns() throws Exception {
        DataSource database = EmbeddedPostgresDatabase.newMigratedDataSource();
        int portA = freePort();
        URI issuer = URI.create("http://127.0.0.1:" + portA); // the nodes' shared issuer: A's address
        Stores shared = JdbcStores.create(database, Clock.systemUTC());
        HeldSave heldKeys = new HeldSave(shared.keys());
        CompletableFuture<TestServer> startingB = CompletableFuture.supplyAsync(() -> {
            try {
                return TestServer.builder()
                        .stores(new Stores(shared.clients(), shared.codes(), shared.grants(), shared.consents(),
                                heldKeys))
                        .issuer(issuer)
                        .servlet("/mcp", base -> new Nodes.PrincipalEcho())
                        .start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(heldKeys.saving.await(20, TimeUnit.SECONDS)).as("B makes its first key as it starts").isTrue();
        a = Nodes.start(database, issuer, portA);
        Browser browser = new Browser();
        HttpResponse<String> jwksOfA = browser.get(a.uri("/oauth2/jwks")); // A made and publishes its own
        assertThat(jwksOfA.statusCode()).isEqualTo(200);
        String keyOfA = AccessTokenClaims.tagOf(McpClient.json(jwksOfA).get("keys").get(0).get("kid").asText());
        heldKeys.release.countDown();
        b = startingB.get(20, TimeUnit.SECONDS);
        McpClient client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        Code code = Nodes.authorize(client, "alice");

        Tokens fromB = Tokens.of(Nodes.redeem(client, b, code));

        String tag = AccessTokenClaims.keyTag(fromB.accessToken()); // same-app: compact, its key named by a tag
        assertThat(tag).as("B MACs with the key it made, not A's").isNotEqualTo(keyOfA);
        assertThat(Nodes.callMcp(browser, a, fromB.accessToken()).statusCode()).as("A's guard").isEqualTo(200);
        // A's jwks_uri re-reads the shared store at most once a second: B's key is published within about that.
        // Polled (stopping as soon as it shows) up to a bound far above it, for a loaded machine.
        List<String> publishedByA = List.of();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); System.nanoTime() < end
                && !publishedByA.contains(tag); Thread.sleep(100)) {
            publishedByA = McpClient.json(browser.get(a.uri("/oauth2/jwks"))).get("keys").findValuesAsText("kid")
                    .stream().map(AccessTokenClaims::tagOf).toList();
        }
        assertThat(publishedByA).as("A's JWKS names the key B MAC'd with").contains(tag);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A key store whose first {@code save} waits for {@link #release}. */
    private static final class HeldSave implements SigningKeyStore {
        final CountDownLatch saving = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final SigningKeyStore delegate;

        HeldSave(SigningKeyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(SigningKey key) {
            saving.countDown();
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            delegate.save(key);
        }

        @Override
        public List<SigningKey> findAll() {
            return delegate.findAll();
        }
    }
}
