package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch deadline is read from the injected ticker, not from {@code System.nanoTime()}: a lookup during which the
 * ticker moves past the timeout ends the fetch before any connection, while the same fetch on a still ticker
 * succeeds. No test waits for real time to pass.
 */
class DocumentFetcherTickerTest {

    @TempDir
    static Path dir;
    static TestTls tls;
    static DocumentServer server;

    @BeforeAll
    static void startServer() throws Exception {
        tls = TestTls.create(dir);
        server = new DocumentServer(tls.server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private MetadataDocumentClients clients(AtomicLong nanos, Duration passingDuringLookup) {
        HostResolver slowOnTheTicker = host -> {
            if (!host.equals("client.test")) {
                throw new UnknownHostException(host);
            }
            nanos.addAndGet(passingDuringLookup.toNanos());
            return List.of(InetAddress.getLoopbackAddress());
        };
        Ticker ticker = nanos::get;
        return MetadataDocumentClients.builder()
                .delegate(InMemoryStores.create(Clock.systemUTC()).clients())
                .settings(AuthorizationServerSettings.builder().issuer("https://as.example").build())
                .resolver(slowOnTheTicker)
                .addressPolicy(InetAddress::isLoopbackAddress)
                .sslContext(tls.client)
                .timeout(Duration.ofSeconds(3))
                .ticker(ticker)
                .build();
    }

    @Test
    void whenTickerPassesTheTimeoutDuringTheLookupThenNoConnectionIsMadeAndTheClientIsUnknown() {
        String id = server.url("client.test", "/late.json");
        server.json("/late.json", new JSONObject(ClientDocumentsTest.document(id)).toJSONString());

        try (MetadataDocumentClients clients = clients(new AtomicLong(), Duration.ofSeconds(4))) {
            assertThat(clients.findById(new ClientID(id))).isEmpty();
        }
        assertThat(server.hits("/late.json")).isZero();
    }

    @Test
    void whenTickerStaysWithinTheTimeoutThenTheSameFetchSucceeds() {
        String id = server.url("client.test", "/timely.json");
        server.json("/timely.json", new JSONObject(ClientDocumentsTest.document(id)).toJSONString());

        try (MetadataDocumentClients clients = clients(new AtomicLong(), Duration.ofSeconds(2))) {
            assertThat(clients.findById(new ClientID(id))).isPresent();
        }
        assertThat(server.hits("/timely.json")).isEqualTo(1);
    }
}
