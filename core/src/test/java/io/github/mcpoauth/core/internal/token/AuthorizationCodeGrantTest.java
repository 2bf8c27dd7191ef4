package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SECURITY.md cases 12-17 and 19: redeeming authorization codes. */
class AuthorizationCodeGrantTest {

    private TestServer server;
    private RegisteredClient client;
    private PkcePair pkce;
    private String code;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        pkce = PkcePair.random();
        code = server.authorizeCode(client, pkce);
    }

    private static void assertError(HTTPResponse r, int status, String error) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(Responses.error(r)).isEqualTo(error);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getPragma()).isEqualTo("no-cache");
    }

    private HTTPResponse redeem() {
        return server.token(server.redemption(client, code, pkce.verifier()));
    }

    @Test
    void whenCodeIsRedeemedThenAccessTokenIsAnAtJwtWithEveryClaim() throws Exception {
        HTTPResponse r = redeem();

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getPragma()).isEqualTo("no-cache");
        JSONObject json = Responses.json(r);
        assertThat(json).containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600L)
                .containsKey("refresh_token");
        assertThat(((String) json.get("scope")).split(" "))
                .containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);

        SignedJWT jwt = SignedJWT.parse((String) json.get("access_token"));
        assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        ECKey key = (ECKey) server.server().signingKeys().publicJwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(TestServer.ISSUER);
        assertThat(c.getSubject()).isEqualTo(TestServer.USER);
        assertThat(c.getAudience()).containsExactly(TestServer.RESOURCE.toString());
        assertThat(c.getStringClaim("client_id")).isEqualTo(client.clientId().getValue());
        assertThat(c.getStringClaim("scope").split(" ")).containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);
        assertThat(c.getIssueTime().toInstant()).isEqualTo(server.clock().instant());
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(server.clock().instant().plus(Duration.ofHours(1)));
        assertThat(c.getJWTID()).isNotBlank();
        String gid = c.getStringClaim("gid");
        Grant grant = server.stores().grants().findById(gid).orElseThrow();
        assertThat(grant.clientId()).isEqualTo(client.clientId());
        assertThat(grant.refreshTokenHash()).hasValue(Secrets.hash((String) json.get("refresh_token")));
        assertThat(grant.toString()).doesNotContain(grant.refreshTokenHash().get());
        assertThat(server.audit().events(AuditEvent.Type.CODE_REDEEMED)).hasSize(1);
    }

    @Test
    void whenTwoCodesAreRedeemedThenJtisDiffer() throws Exception {
        TokenSet a = TokenSet.of(redeem());
        TokenSet b = server.tokens(client);

        assertThat(SignedJWT.parse(a.accessToken()).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(b.accessToken()).getJWTClaimsSet().getJWTID());
    }

    @Test
    void whenClientMayNotRefreshThenNoRefreshToken() {
        client = server.save(TestClients.publicClient().grantTypes(GrantType.AUTHORIZATION_CODE));
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = redeem();

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(Responses.json(r)).doesNotContainKey("refresh_token");
    }

    @Test
    void whenConfidentialClientRedeemsWithBasicThenItWorks() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenConfidentialClientRedeemsWithPostThenItWorks() {
        client = server.save(TestClients.confidentialClient().secretPost());
        code = server.authorizeCode(client, pkce);

        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    // case 12

    @Test
    void whenCodeIsReplayedThenInvalidGrantAndEverythingItIssuedIsRevoked() {
        TokenSet first = TokenSet.of(redeem());

        assertError(redeem(), 400, "invalid_grant");

        assertError(server.token(server.refresh(client, first.refreshToken())), 400, "invalid_grant");
        HTTPResponse introspection = server.introspect(TestServer.authenticated(server.introspectionUri(),
                server.save(TestClients.confidentialClient())).param("token", first.accessToken()));
        assertThat(introspection.getBody()).isEqualTo("{\"active\":false}");
        assertThat(server.audit().events(AuditEvent.Type.CODE_REPLAYED)).hasSize(1);
    }

    @Test
    void whenCodeIsReplayedByAnotherClientThenInvalidGrant() {
        redeem();
        RegisteredClient other = server.save(TestClients.publicClient());

        assertError(server.token(server.redemption(other, code, pkce.verifier())), 400, "invalid_grant");
    }

    // case 13

    @Test
    void whenManyThreadsRedeemOneCodeThenExactlyOneSucceeds() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HTTPResponse>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<HTTPResponse> task = () -> {
                    start.await();
                    return redeem();
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int ok = 0;
            for (Future<HTTPResponse> f : results) {
                HTTPResponse r = f.get();
                if (r.getStatusCode() == 200) {
                    ok++;
                } else {
                    assertError(r, 400, "invalid_grant");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // case 14

    @Test
    void whenVerifierIsWrongThenInvalidGrantAndTheCodeStaysRedeemable() {
        assertError(server.token(server.redemption(client, code, PkcePair.random().verifier())), 400,
                "invalid_grant");

        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenVerifierIsMalformedThenAnErrorAndTheCodeStaysRedeemable() {
        for (String bad : new String[] {"short", "x".repeat(129), pkce.verifier() + "!", pkce.challenge()}) {
            HTTPResponse r = server.token(server.redemption(client, code, bad));
            assertThat(r.getStatusCode()).as(bad).isEqualTo(400);
            assertThat(Responses.error(r)).isIn("invalid_grant", "invalid_request");
        }

        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenVerifierIsMissingThenInvalidRequest() {
        assertError(server.token(server.redemption(client, code, pkce.verifier()).without("code_verifier")), 400,
                "invalid_request");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    // case 15

    @Test
    void whenCodeWasIssuedToAnotherClientThenInvalidGrantAndTheCodeStaysRedeemable() {
        RegisteredClient other = server.save(TestClients.publicClient());

        assertError(server.token(server.redemption(other, code, pkce.verifier())), 400, "invalid_grant");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenRedirectUriDiffersThenInvalidGrant() {
        for (String other : new String[] {"https://app.example.com/other", TestClients.REDIRECT_URI + "/",
            "https://evil.example.com/callback"}) {
            assertError(server.token(server.redemption(client, code, pkce.verifier()).without("redirect_uri")
                    .param("redirect_uri", other)), 400, "invalid_grant");
        }
        assertError(server.token(server.redemption(client, code, pkce.verifier()).without("redirect_uri")), 400,
                "invalid_grant");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenLoopbackRedirectUsedAnotherPortThenTheTokenRequestMustNameThatPort() {
        client = server.save(TestClients.publicClient().redirectUri("http://127.0.0.1/callback"));
        code = server.authorizeCode(client, pkce, p -> p.set("redirect_uri", "http://127.0.0.1:51000/callback"));

        assertError(redeem(), 400, "invalid_grant");
        assertError(server.token(server.redemption(client, code, pkce.verifier()).without("redirect_uri")
                .param("redirect_uri", "http://127.0.0.1:51001/callback")), 400, "invalid_grant");
        assertThat(server.token(server.redemption(client, code, pkce.verifier()).without("redirect_uri")
                .param("redirect_uri", "http://127.0.0.1:51000/callback")).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenAuthorizationRequestOmittedRedirectUriThenTokenRequestMustToo() {
        code = server.authorizeCode(client, pkce, p -> p.without("redirect_uri"));

        assertError(redeem(), 400, "invalid_grant");
        assertThat(server.token(server.redemption(client, code, pkce.verifier()).without("redirect_uri"))
                .getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenCodeIsExpiredThenInvalidGrant() {
        server.clock().advance(Duration.ofSeconds(60));

        assertError(redeem(), 400, "invalid_grant");
    }

    @Test
    void whenCodeIsAlmostExpiredThenItStillWorks() {
        server.clock().advance(Duration.ofSeconds(59));

        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenCodeIsUnknownThenInvalidGrant() {
        assertError(server.token(server.redemption(client, Secrets.create().newSecret(), pkce.verifier())), 400,
                "invalid_grant");
        assertError(server.token(server.redemption(client, Secrets.hash(code), pkce.verifier())), 400,
                "invalid_grant");
    }

    // case 16

    @Test
    void whenClientSecretIsWrongWithBasicThen401WithWwwAuthenticateAndTheCodeStaysRedeemable() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier())
                .basic(client.clientId().getValue(), "wrong-secret"));

        assertError(r, 401, "invalid_client");
        assertThat(r.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        assertThat(r.getBody()).doesNotContain("wrong-secret").doesNotContain(code);
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenClientSecretIsWrongWithPostThen401WithoutWwwAuthenticate() {
        client = server.save(TestClients.confidentialClient().secretPost());
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier()).without("client_secret")
                .param("client_secret", "wrong-secret"));

        assertError(r, 401, "invalid_client");
        assertThat(r.getHeaderValue("WWW-Authenticate")).isNull();
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenConfidentialClientOmitsAuthenticationThen401() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = server.token(TestServer.authenticated(server.tokenUri(), TestClients.publicClient()
                .clientId(client.clientId().getValue()).build())
                .param("grant_type", "authorization_code").param("code", code)
                .param("redirect_uri", TestClients.REDIRECT_URI).param("code_verifier", pkce.verifier()));

        assertError(r, 401, "invalid_client");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenBasicAndClientSecretPostAreBothSentThenInvalidRequestAndTheCodeStaysRedeemable() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier())
                .param("client_id", client.clientId().getValue()).param("client_secret", TestClients.SECRET));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_request");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenBasicClientIdDiffersFromBodyClientIdThenRejected() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier()).param("client_id", "other"));

        assertError(r, 400, "invalid_request");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenBasicClientIdIsRepeatedInTheBodyThenItWorks() {
        client = server.save(TestClients.confidentialClient());
        code = server.authorizeCode(client, pkce);

        assertThat(server.token(server.redemption(client, code, pkce.verifier())
                .param("client_id", client.clientId().getValue())).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenPublicClientSendsAnEmptySecretWithBasicThen401() {
        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier()).without("client_id")
                .basic(client.clientId().getValue(), ""));

        assertThat(r.getStatusCode()).as(r.getBody()).isIn(400, 401);
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    // case 17

    @Test
    void whenResourceWasNotGrantedThenInvalidTarget() {
        assertError(server.token(server.redemption(client, code, pkce.verifier())
                .param("resource", TestServer.OTHER_RESOURCE.toString())), 400, "invalid_target");
        assertError(server.token(server.redemption(client, code, pkce.verifier())
                .param("resource", "https://evil.example.com/mcp")), 400, "invalid_target");
        assertThat(redeem().getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenResourceIsMalformedThenAnErrorNotAServerError() {
        for (String bad : new String[] {"/relative", "https://mcp.example.com/mcp#f", "not a uri", "urn:x"}) {
            HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier()).param("resource", bad));
            assertThat(r.getStatusCode()).as(bad).isEqualTo(400);
            assertThat(Responses.error(r)).as(bad).isIn("invalid_target", "invalid_request");
        }
    }

    @Test
    void whenASubsetOfGrantedResourcesIsAskedThenTheAudienceIsNarrowed() throws Exception {
        code = server.authorizeCode(client, pkce, p -> p.set("resource", TestServer.RESOURCE.toString())
                .add("resource", TestServer.OTHER_RESOURCE.toString()));

        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier())
                .param("resource", TestServer.OTHER_RESOURCE.toString()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(SignedJWT.parse(TokenSet.of(r).accessToken()).getJWTClaimsSet().getAudience())
                .containsExactly(TestServer.OTHER_RESOURCE.toString());
    }

    @Test
    void whenGrantedResourceIsAskedInAnotherCaseThenTheAudienceKeepsTheConfiguredSpelling() throws Exception {
        HTTPResponse r = server.token(server.redemption(client, code, pkce.verifier())
                .param("resource", "HTTPS://MCP.EXAMPLE.COM/mcp"));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(SignedJWT.parse(TokenSet.of(r).accessToken()).getJWTClaimsSet().getAudience())
                .containsExactly(TestServer.RESOURCE.toString());
    }
}
