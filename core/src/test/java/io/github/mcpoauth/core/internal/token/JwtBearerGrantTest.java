package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestAssertions;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWT bearer grant (RFC 7523 §2.1): workload identity assertions from a trusted issuer, and ID-JAGs from an
 * enterprise identity provider (SEP-990). Every refusal is invalid_grant and never falls back to another grant.
 */
class JwtBearerGrantTest {

    private static final String WORKLOAD = "https://token.actions.example.com";
    private static final String IDP = "https://idp.example.com";
    private static final ClientID CLIENT = new ClientID("agent");
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final ECKey workloadKey = TestAssertions.newEcKey();
    private final ECKey idpKey = TestAssertions.newEcKey();
    private TestServer server;
    private MutableClock clock;
    private String secret;

    @BeforeEach
    void setUp() {
        server = TestServer.builder().server(b -> b
                .workloadIssuer(WORKLOAD, TestAssertions.publicSet(workloadKey),
                        c -> Optional.ofNullable(c.getSubject()).filter(s -> s.startsWith("repo:"))
                                .map(s -> "workload:" + s))
                .enterpriseIdentityProvider(IDP, TestAssertions.publicSet(idpKey),
                        c -> Optional.ofNullable((String) c.getClaim("email"))))
                .build();
        clock = server.clock();
        secret = server.server().machineClients().registerWithSecret(CLIENT, "Agent", Set.of("mcp:read", "mcp:write"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    private TestAssertions.Builder workload() {
        return TestAssertions.signedBy(workloadKey).issuer(WORKLOAD).subject("repo:acme/app")
                .audience(TestServer.ISSUER).at(clock.instant());
    }

    private TestAssertions.Builder idJag() {
        return TestAssertions.signedBy(idpKey).type("oauth-id-jag+jwt").issuer(IDP).subject("u-123")
                .audience(TestServer.ISSUER).at(clock.instant()).claim("client_id", CLIENT.getValue())
                .claim("email", "alice@acme.example").claim("resource", TestServer.RESOURCE.toString())
                .claim("scope", "mcp:read");
    }

    private HTTPResponse redeem(String assertion) {
        return server.token(Requests.form(server.tokenUri()).basic(CLIENT.getValue(), secret)
                .param("grant_type", GRANT).param("assertion", assertion));
    }

    private static JWTClaimsSet accessClaims(HTTPResponse r) throws Exception {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(Responses.json(r)).doesNotContainKey("refresh_token");
        return SignedJWT.parse((String) Responses.json(r).get("access_token")).getJWTClaimsSet();
    }

    private static void assertInvalidGrant(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_grant");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getBody()).doesNotContain("access_token");
    }

    @Test
    void whenWorkloadAssertionIsValidThenTokenHasTheMappedSubject() throws Exception {
        JWTClaimsSet claims = accessClaims(redeem(workload().build()));

        assertThat(claims.getSubject()).isEqualTo("workload:repo:acme/app");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("agent");
        assertThat(claims.getStringClaim("scope")).contains("mcp:read");
    }

    @Test
    void whenMetadataIsReadThenTheJwtBearerGrantIsAdvertised() {
        assertThat(server.server().metadata().document()).contains(GRANT.replace("/", "\\/"));
    }

    @Test
    void whenAssertionIsReplayedThenInvalidGrant() throws Exception {
        String once = workload().build();
        accessClaims(redeem(once));

        assertInvalidGrant(redeem(once));
    }

    @Test
    void whenAudienceIsAnotherServerThenInvalidGrant() {
        assertInvalidGrant(redeem(workload().audience("https://other.example.com").build()));
    }

    @Test
    void whenAssertionExpiredOrLivesTooLongThenInvalidGrant() {
        String expired = workload().lifetime(Duration.ofMinutes(1)).build();
        clock.advance(Duration.ofMinutes(5));
        assertInvalidGrant(redeem(expired));
        assertInvalidGrant(redeem(workload().lifetime(Duration.ofDays(1)).build()));
        assertInvalidGrant(redeem(workload().at(clock.instant().plus(Duration.ofMinutes(10))).build()));
    }

    @Test
    void whenSignedByAnUnknownKeyThenInvalidGrant() {
        assertInvalidGrant(redeem(TestAssertions.signedBy(TestAssertions.newEcKey()).issuer(WORKLOAD)
                .subject("repo:acme/app").audience(TestServer.ISSUER).at(clock.instant()).build()));
    }

    @Test
    void whenAlgorithmIsNotAllowedThenInvalidGrant() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        assertInvalidGrant(redeem(workload().hs256(key).build()));
    }

    @Test
    void whenIssuerIsUnknownOrSubjectIsNotMappedThenInvalidGrant() {
        assertInvalidGrant(redeem(workload().issuer("https://evil.example").subject("repo:acme/app").build()));
        assertInvalidGrant(redeem(workload().subject("user:bob").build()));
        assertInvalidGrant(redeem(workload().jti(null).build()));
    }

    @Test
    void whenAssertionIsRefusedThenNoOtherGrantIsTried() {
        // The client may use client_credentials too; a bad assertion must not quietly become that grant.
        HTTPResponse r = redeem("not-a-jwt");

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(r)).isIn("invalid_grant", "invalid_request");
        assertThat(r.getBody()).doesNotContain("access_token");
    }

    @Test
    void whenIdJagIsValidThenUserResourceAndScopeAreBoundIntoTheToken() throws Exception {
        JWTClaimsSet claims = accessClaims(redeem(idJag().build()));

        assertThat(claims.getSubject()).isEqualTo("alice@acme.example");
        assertThat(claims.getAudience()).containsExactly(TestServer.RESOURCE.toString());
        assertThat(claims.getStringClaim("scope")).isEqualTo("mcp:read");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("agent");
    }

    @Test
    void whenIdJagWasIssuedToAnotherClientThenInvalidGrant() {
        assertInvalidGrant(redeem(idJag().claim("client_id", "someone-else").build()));
    }

    @Test
    void whenIdJagIsForAnotherAudienceThenInvalidGrant() {
        assertInvalidGrant(redeem(idJag().audience("https://other-as.example.com").build()));
        // An ID-JAG's aud is the issuer itself, not the token endpoint.
        assertInvalidGrant(redeem(idJag().audience(server.tokenUri().toString()).build()));
    }

    @Test
    void whenIdJagNamesAResourceNotServedHereThenInvalidGrant() {
        assertInvalidGrant(redeem(idJag().claim("resource", "https://elsewhere.example/mcp").build()));
        assertInvalidGrant(redeem(idJag().claim("resource", null).build()));
    }

    @Test
    void whenIdJagIsReplayedThenInvalidGrant() throws Exception {
        String once = idJag().build();
        accessClaims(redeem(once));

        assertInvalidGrant(redeem(once));
    }

    @Test
    void whenIdJagComesFromAWorkloadIssuerOrAWorkloadTokenFromTheIdpThenInvalidGrant() {
        assertInvalidGrant(redeem(TestAssertions.signedBy(workloadKey).type("oauth-id-jag+jwt").issuer(WORKLOAD)
                .subject("u").audience(TestServer.ISSUER).at(clock.instant()).claim("client_id", "agent")
                .claim("resource", TestServer.RESOURCE.toString()).build()));
        assertInvalidGrant(redeem(TestAssertions.signedBy(idpKey).issuer(IDP).subject("repo:acme/app")
                .audience(TestServer.ISSUER).at(clock.instant()).build()));
    }

    @Test
    void whenIdJagAsksMoreScopeThanTheClientMayHaveThenItIsNarrowed() throws Exception {
        JWTClaimsSet claims = accessClaims(redeem(idJag().claim("scope", "mcp:read mcp:admin").build()));

        assertThat(List.of(claims.getStringClaim("scope").split(" "))).containsExactly("mcp:read");
    }
}
