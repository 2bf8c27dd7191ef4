package io.github.mcpoauth.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestAssertions;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** private_key_jwt client authentication (RFC 7523 §2.2 and §3) at the token and introspection endpoints. */
class PrivateKeyJwtTest {

    private static final String CLIENT = "ci-agent";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private TestServer server;
    private MutableClock clock;
    private ECKey key;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        clock = server.clock();
        key = TestAssertions.newEcKey();
        server.server().machineClients().registerWithKeys(new ClientID(CLIENT), "CI", Set.of("mcp:read"),
                TestAssertions.publicSet(key));
    }

    private TestAssertions.Builder assertion() {
        return TestAssertions.signedBy(key).issuer(CLIENT).audience(TestServer.ISSUER).at(clock.instant());
    }

    private HTTPResponse token(String assertion) {
        return server.token(Requests.form(server.tokenUri()).param("grant_type", "client_credentials")
                .param("client_assertion_type", ASSERTION_TYPE).param("client_assertion", assertion));
    }

    private static void assertInvalidClient(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(Responses.error(r)).isEqualTo("invalid_client");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenAssertionIsValidThenTokenIsIssued() {
        HTTPResponse r = token(assertion().build());

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(Responses.json(r).get("scope")).isEqualTo("mcp:read");
    }

    @Test
    void whenAudienceIsTheTokenEndpointThenTokenIsIssued() {
        assertThat(token(assertion().audience(server.tokenUri().toString()).build()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenAssertionIsReplayedThenInvalidClient() {
        String once = assertion().build();
        assertThat(token(once).getStatusCode()).isEqualTo(200);

        assertInvalidClient(token(once));
        assertThat(server.audit().events()).anyMatch(e -> e.detail().contains("jti replayed"));
    }

    @Test
    void whenAudienceIsAnotherServerThenInvalidClient() {
        assertInvalidClient(token(assertion().audience("https://other.example.com").build()));
    }

    @Test
    void whenAssertionExpiredThenInvalidClient() {
        String expired = assertion().lifetime(Duration.ofMinutes(1)).build();
        clock.advance(Duration.ofMinutes(2));

        assertInvalidClient(token(expired));
    }

    @Test
    void whenExpIsMissingOrFarAheadThenRefused() {
        // Without exp the assertion does not parse (Nimbus): refused as a malformed request, before any crypto.
        HTTPResponse missing = token(assertion().withoutExp().build());
        assertThat(missing.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(missing)).isEqualTo("invalid_request");
        assertInvalidClient(token(assertion().lifetime(Duration.ofHours(1)).build()));
    }

    @Test
    void whenJtiIsMissingThenInvalidClient() {
        assertInvalidClient(token(assertion().jti(null).build()));
    }

    @Test
    void whenSignedByAnUnknownKeyThenInvalidClient() {
        ECKey other = TestAssertions.newEcKey();
        assertInvalidClient(token(TestAssertions.signedBy(other).issuer(CLIENT).audience(TestServer.ISSUER)
                .at(clock.instant()).build()));
        RSAKey rsa = TestAssertions.newRsaKey();
        assertInvalidClient(token(TestAssertions.signedBy(rsa).issuer(CLIENT).audience(TestServer.ISSUER)
                .at(clock.instant()).build()));
    }

    @Test
    void whenAlgorithmIsHmacThenInvalidClient() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        assertInvalidClient(token(assertion().hs256(secret).build()));
    }

    @Test
    void whenIssuerIsNotTheClientThenInvalidClient() {
        assertInvalidClient(token(assertion().subject("someone-else").build()));
    }

    @Test
    void whenKeysAreRotatedThenTheOldKeyIsRefused() {
        ECKey next = TestAssertions.newEcKey();
        server.server().machineClients().rotateKeys(new ClientID(CLIENT), TestAssertions.publicSet(next));

        assertInvalidClient(token(assertion().build()));
        assertThat(token(TestAssertions.signedBy(next).issuer(CLIENT).audience(TestServer.ISSUER)
                .at(clock.instant()).build()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenIntrospectionCallerUsesPrivateKeyJwtThenItIsAuthenticated() {
        HTTPResponse r = server.introspect(Requests.form(server.introspectionUri()).param("token", "unknown")
                .param("client_assertion_type", ASSERTION_TYPE).param("client_assertion", assertion().build()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(Responses.json(r).get("active")).isEqualTo(false);
    }

    @Test
    void whenMetadataIsReadThenPrivateKeyJwtAndItsAlgorithmsAreAdvertised() {
        String doc = server.server().metadata().document();

        assertThat(doc).contains("private_key_jwt").contains("token_endpoint_auth_signing_alg_values_supported")
                .contains("ES256").contains("client_credentials").doesNotContain("HS256");
    }
}
