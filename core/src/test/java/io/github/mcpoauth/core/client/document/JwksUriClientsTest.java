package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.RecordingAuditListener;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestAssertions;
import io.github.mcpoauth.core.fixtures.TestTls;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code private_key_jwt} clients whose keys live at their {@code jwks_uri} (RFC 7591 §2, RFC 7523 §2.2), served by
 * a real HTTPS server on 127.0.0.1 and fetched by the client ID metadata documents' fetcher (security case M10).
 */
class JwksUriClientsTest {

    private static final String ISSUER = "https://as.example";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    static Path dir;
    static TestTls tls;
    static DocumentServer keyServer;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecordingAuditListener audit = new RecordingAuditListener();
    private final ECKey key = TestAssertions.newEcKey();
    private AuthorizationServer as;

    @BeforeAll
    static void startServer() throws Exception {
        tls = TestTls.create(dir);
        keyServer = new DocumentServer(tls.server);
    }

    @AfterAll
    static void stopServer() {
        keyServer.close();
    }

    @BeforeEach
    void setUp() {
        keyServer.reset();
        as = server(MetadataDocumentClientsTest.LOOPBACK_FOR_TESTS);
    }

    @AfterEach
    void tearDown() {
        as.close();
    }

    /** A server whose documents and key sets are fetched under {@code policy}; client.test is 127.0.0.1. */
    private AuthorizationServer server(AddressPolicy policy) {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer(ISSUER).clock(clock)
                .dynamicMachineClients(true).build();
        Stores stores = InMemoryStores.create(clock);
        MetadataDocumentClients clients = MetadataDocumentClients.builder().delegate(stores.clients())
                .settings(settings).resolver(new FakeResolver().map("client.test", "127.0.0.1"))
                .addressPolicy(policy).sslContext(tls.client).timeout(Duration.ofSeconds(10)).build();
        return AuthorizationServer.builder().settings(settings).auditListener(audit)
                .stores(stores.withClients(clients)).build();
    }

    private String jwksUri() {
        return keyServer.url("client.test", "/jwks.json");
    }

    private String register(AuthorizationServer server, String jwksUri) {
        HTTPResponse r = server.registration().handle(Requests.json(URI.create(ISSUER + "/oauth2/register"),
                "{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\","
                        + "\"jwks_uri\":\"" + jwksUri + "\"}"));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        JSONObject json = Responses.json(r);
        assertThat(json).doesNotContainKey("client_secret").containsEntry("jwks_uri", jwksUri);
        return (String) json.get("client_id");
    }

    private HTTPResponse token(AuthorizationServer server, String clientId, ECKey signer) {
        String assertion = TestAssertions.signedBy(signer).issuer(clientId).audience(ISSUER).at(clock.instant())
                .build();
        return server.token().handle(Requests.form(URI.create(ISSUER + "/oauth2/token"))
                .param("grant_type", "client_credentials").param("client_assertion_type", ASSERTION_TYPE)
                .param("client_assertion", assertion).build());
    }

    private static void assertInvalidClient(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(Responses.error(r)).isEqualTo("invalid_client");
    }

    @Test
    void whenClientRegisteredWithJwksUriThenItsAssertionAuthenticatesAndTheKeysAreCached() {
        keyServer.json("/jwks.json", TestAssertions.publicSet(key).toString());
        String clientId = register(as, jwksUri());

        HTTPResponse first = token(as, clientId, key);
        HTTPResponse second = token(as, clientId, key);

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
        assertThat(keyServer.hits("/jwks.json")).isEqualTo(1);
    }

    @Test
    void whenAssertionNamesAnUnknownKeyThenRefusedAndRefetchedAtMostOncePerInterval() {
        keyServer.json("/jwks.json", TestAssertions.publicSet(key).toString());
        String clientId = register(as, jwksUri());
        assertThat(token(as, clientId, key).getStatusCode()).isEqualTo(200);
        ECKey next = TestAssertions.newEcKey();
        clock.advance(KeySetFetcher.REFETCH_INTERVAL.plusSeconds(1));

        assertInvalidClient(token(as, clientId, next));
        assertThat(keyServer.hits("/jwks.json")).isEqualTo(2);
        // The client rolls its keys; within the interval the server does not ask again.
        keyServer.json("/jwks.json", TestAssertions.publicSet(key, next).toString());
        assertInvalidClient(token(as, clientId, next));
        assertThat(keyServer.hits("/jwks.json")).isEqualTo(2);

        clock.advance(KeySetFetcher.REFETCH_INTERVAL.plusSeconds(1));
        HTTPResponse rolled = token(as, clientId, next);
        assertThat(rolled.getStatusCode()).as(rolled.getBody()).isEqualTo(200);
        assertThat(keyServer.hits("/jwks.json")).isEqualTo(3);
        assertThat(audit.events(AuditEvent.Type.AUTHENTICATION_FAILED)).hasSize(2);
    }

    @Test
    void whenJwksUriIsOnAPrivateAddressThenThePublicOnlyPolicyRefusesItWithoutConnecting() {
        keyServer.json("/jwks.json", TestAssertions.publicSet(key).toString());
        try (AuthorizationServer production = server(AddressPolicy.publicOnly())) {
            String clientId = register(production, jwksUri());

            assertInvalidClient(token(production, clientId, key));
        }
        assertThat(keyServer.hits("/jwks.json")).isZero();
        assertThat(audit.events(AuditEvent.Type.AUTHENTICATION_FAILED).toString())
                .contains("not allowed");
    }

    @Test
    void whenKeySetIsLargerThanTheDocumentLimitThenRefused() {
        StringBuilder big = new StringBuilder(TestAssertions.publicSet(key).toString());
        big.insert(big.length() - 1, ",\"padding\":\"" + "x".repeat(MetadataDocumentClients.DEFAULT_MAX_DOCUMENT_SIZE)
                + "\"");
        keyServer.json("/jwks.json", big.toString());
        String clientId = register(as, jwksUri());

        assertInvalidClient(token(as, clientId, key));
        assertThat(keyServer.hits("/jwks.json")).isEqualTo(1);
    }

    @Test
    void whenJwksUriIsNotHttpsOrHasAQueryThenRegistrationIsRefused() {
        for (String bad : new String[] {"http://client.test/jwks.json", "https://client.test/jwks.json?x=1",
            "https://client.test"}) {
            HTTPResponse r = as.registration().handle(Requests.json(URI.create(ISSUER + "/oauth2/register"),
                    "{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\","
                            + "\"jwks_uri\":\"" + bad + "\"}"));
            assertThat(r.getStatusCode()).as(bad).isEqualTo(400);
            assertThat(Responses.error(r)).isEqualTo("invalid_client_metadata");
        }
    }
}
