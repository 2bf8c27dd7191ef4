package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SECURITY.md case 26: a client ID metadata document URL that resolves to a private, loopback or link-local
 * address is refused before any connection. The production {@link AddressPolicy#publicOnly()} is in force; a
 * fake resolver maps names to the addresses under test. A real HTTPS server on 127.0.0.1 serves a valid document
 * for every URL, so a request that got through would be counted.
 */
class MetadataDocumentClientsSsrfTest {

    @TempDir
    static Path dir;
    static TestTls tls;
    static DocumentServer server;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeResolver resolver = new FakeResolver();
    final AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer("https://as.example")
            .clock(clock).build();

    @BeforeAll
    static void startServer() throws Exception {
        tls = TestTls.create(dir);
        server = new DocumentServer(tls.server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    MetadataDocumentClients.Builder productionPolicy() {
        return MetadataDocumentClients.builder().delegate(InMemoryStores.create(clock).clients()).settings(settings)
                .resolver(resolver).sslContext(tls.client);
    }

    /** Serves a valid document for {@code id} at {@code path}. */
    static void serve(String id, String path) {
        server.json(path, MetadataDocumentClientsTest.document(id));
    }

    boolean found(MetadataDocumentClients clients, String id) {
        return clients.findById(new ClientID(id)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe"})
    void whenHostResolvesToANonPublicAddressThenRefusedWithoutConnecting(String address) {
        resolver.map("evil.test", address);
        String id = server.url("evil.test", "/app.json");
        serve(id, "/app.json");

        assertThat(found(productionPolicy().build(), id)).as(address).isFalse();
        assertThat(resolver.asked).containsExactly("evil.test");
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenHostResolvesToClientTestOnLoopbackThenTheDefaultPolicyStillRefuses() {
        // The same name, certificate and server that MetadataDocumentClientsTest reaches with its test-only policy.
        resolver.map("client.test", "127.0.0.1");
        String id = server.url("client.test", "/app.json");
        serve(id, "/app.json");

        assertThat(found(productionPolicy().build(), id)).isFalse();
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenAnyOfSeveralAddressesIsPrivateThenRefused() {
        resolver.map("mixed.test", "93.184.215.14", "10.0.0.1");
        String id = server.url("mixed.test", "/app.json");

        assertThat(found(productionPolicy().build(), id)).isFalse();
    }

    @Test
    void whenIpv4MappedAddressComesBackAsAnInet6AddressThenRefused() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        resolver.map("mapped.test", Inet6Address.getByAddress(null, mapped, -1));
        String id = server.url("mapped.test", "/app.json");
        serve(id, "/app.json");

        assertThat(found(productionPolicy().build(), id)).isFalse();
        assertThat(server.hits("/app.json")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "[::1]", "169.254.169.254", "10.1.2.3", "[::ffff:7f00:1]", "0.0.0.0"})
    void whenUrlHostIsANonPublicIpLiteralThenRefusedWithoutResolvingOrConnecting(String host) {
        String id = "https://" + host + ":" + server.port() + "/app.json";
        serve(id, "/app.json");

        assertThat(found(productionPolicy().build(), id)).as(host).isFalse();
        assertThat(resolver.asked).isEmpty();
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenUrlIsPlainHttpThenNeitherResolvedNorFetched() {
        resolver.map("client.test", "93.184.215.14");

        assertThat(found(productionPolicy().build(), "http://client.test/app.json")).isFalse();
        assertThat(resolver.asked).isEmpty();
    }

    @Test
    void whenNameWouldResolveElsewhereOnASecondLookupThenTheVettedAddressIsUsed() {
        // DNS rebinding: the first answer passes the check, later answers point elsewhere. The fetcher must
        // connect to the address it checked, not look the name up again.
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
        AddressPolicy only127001 = address -> address.getHostAddress().equals("127.0.0.1");
        String id = server.url("client.test", "/app.json");
        serve(id, "/app.json");

        MetadataDocumentClients clients = productionPolicy().resolver(rebinding).addressPolicy(only127001).build();

        assertThat(found(clients, id)).isTrue();
        assertThat(lookups).hasValue(1);
        assertThat(server.hits("/app.json")).isEqualTo(1);
    }

    @Test
    void whenPolicyThrowsThenTheAddressIsRefused() {
        resolver.map("client.test", "127.0.0.1");
        String id = server.url("client.test", "/app.json");
        serve(id, "/app.json");

        MetadataDocumentClients clients = productionPolicy().addressPolicy(address -> {
            throw new IllegalStateException("policy bug");
        }).build();

        assertThat(found(clients, id)).isFalse();
        assertThat(server.hits("/app.json")).isZero();
    }

    @Test
    void whenResolverFailsOrReturnsNothingThenNoClient() {
        MetadataDocumentClients throwing = productionPolicy().resolver(host -> {
            throw new IllegalStateException("resolver bug");
        }).build();
        MetadataDocumentClients empty = productionPolicy().resolver(host -> List.of()).build();
        String id = server.url("client.test", "/app.json");

        assertThat(found(throwing, id)).isFalse();
        assertThat(found(empty, id)).isFalse();
    }
}
