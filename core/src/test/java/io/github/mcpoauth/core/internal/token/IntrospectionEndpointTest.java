package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Duration;
import java.util.Date;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SECURITY.md case 22: RFC 7662 introspection. */
class IntrospectionEndpointTest {

    private static final String INACTIVE = "{\"active\":false}";

    private TestServer server;
    private RegisteredClient client;
    private RegisteredClient resourceServer;
    private TokenSet tokens;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        resourceServer = server.save(TestClients.confidentialClient());
        tokens = server.tokens(client);
    }

    private HTTPResponse introspect(RegisteredClient by, String token) {
        return server.introspect(TestServer.authenticated(server.introspectionUri(), by).param("token", token));
    }

    private void assertInactive(String token) {
        HTTPResponse r = introspect(resourceServer, token);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo(INACTIVE);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    private static void assert401(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(Responses.error(r)).isEqualTo("invalid_client");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenActiveAccessTokenThenItsClaims() throws Exception {
        HTTPResponse r = introspect(resourceServer, tokens.accessToken());

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        JSONObject json = Responses.json(r);
        JWTClaimsSet claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
        assertThat(json).containsEntry("active", true).containsEntry("client_id", client.clientId().getValue())
                .containsEntry("sub", TestServer.USER).containsEntry("iss", TestServer.ISSUER)
                .containsEntry("token_type", "Bearer").containsEntry("jti", claims.getJWTID())
                .containsEntry("exp", claims.getExpirationTime().getTime() / 1000)
                .containsEntry("iat", claims.getIssueTime().getTime() / 1000);
        assertThat(((String) json.get("scope")).split(" ")).containsExactlyInAnyOrderElementsOf(
                TestServer.DEFAULT_SCOPES);
        assertThat(json.get("aud")).isEqualTo(java.util.List.of(TestServer.RESOURCE.toString()));
        assertThat(json).doesNotContainKey("gid");
    }

    @Test
    void whenNoClientAuthenticationThen401() {
        assert401(server.introspect(Requests.form(server.introspectionUri()).param("token", tokens.accessToken())));
    }

    @Test
    void whenPublicClientCallsThen401() {
        assert401(introspect(client, tokens.accessToken()));
        assert401(server.introspect(Requests.form(server.introspectionUri())
                .basic(client.clientId().getValue(), "").param("token", tokens.accessToken())));
    }

    @Test
    void whenSecretIsWrongThen401WithBasicChallenge() {
        HTTPResponse r = server.introspect(Requests.form(server.introspectionUri())
                .basic(resourceServer.clientId().getValue(), "wrong").param("token", tokens.accessToken()));

        assert401(r);
        assertThat(r.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        assertThat(r.getBody()).doesNotContain(tokens.accessToken());
    }

    @Test
    void whenBearerIsUsedInsteadOfClientAuthenticationThen401() {
        assert401(server.introspect(Requests.form(server.introspectionUri())
                .authorization("Bearer " + tokens.accessToken()).param("token", tokens.accessToken())));
    }

    @Test
    void whenAccessTokenIsExpiredThenInactive() {
        server.clock().advance(Duration.ofHours(1));

        assertInactive(tokens.accessToken());
    }

    @Test
    void whenGrantIsRevokedThenInactive() {
        server.revoke(TestServer.authenticated(server.revocationUri(), client).param("token", tokens.refreshToken()));

        assertInactive(tokens.accessToken());
        assertInactive(tokens.refreshToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "\u0000", "...", "x"})
    void whenTokenIsUnknownOrMalformedThenInactive(String token) {
        assertInactive(token);
    }

    @Test
    void whenTokenWasIssuedByAnotherServerWithTheSameIssuerThenInactive() {
        TestServer other = TestServer.create();
        TokenSet foreign = other.tokens(other.save(TestClients.publicClient()));

        assertInactive(foreign.accessToken());
        assertInactive(foreign.refreshToken());
    }

    @Test
    void whenTokenIsSignedWithOurKeyButNamesAnotherIssuerThenInactive() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet())
                .issuer("https://evil.example.com").build();

        assertInactive(sign(claims, AccessTokens.AT_JWT));
    }

    @Test
    void whenTokenIsSignedWithOurKeyButIsNotAnAtJwtThenInactive() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();

        assertInactive(sign(claims, JOSEObjectType.JWT));
        assertInactive(sign(claims, null));
        assertThat(Responses.json(introspect(resourceServer, sign(claims, AccessTokens.AT_JWT))))
                .containsEntry("active", true);
    }

    @Test
    void whenTokenHasNoExpiryOrNoGrantIdThenInactive() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();

        assertInactive(sign(new JWTClaimsSet.Builder(claims).expirationTime(null).build(), AccessTokens.AT_JWT));
        assertInactive(sign(new JWTClaimsSet.Builder(claims).claim("gid", null).build(), AccessTokens.AT_JWT));
        assertInactive(sign(new JWTClaimsSet.Builder(claims).claim("gid", "made-up").build(), AccessTokens.AT_JWT));
        assertInactive(sign(new JWTClaimsSet.Builder(claims).claim("gid", 42).build(), AccessTokens.AT_JWT));
        assertInactive(sign(new JWTClaimsSet.Builder(claims).expirationTime(new Date(0)).build(),
                AccessTokens.AT_JWT));
    }

    @Test
    void whenSignatureIsTamperedOrTruncatedThenInactive() {
        String t = tokens.accessToken();
        int dot = t.lastIndexOf('.');

        assertInactive(t.substring(0, dot + 10));
        assertInactive(t.substring(0, dot + 1));
        assertInactive(t.substring(0, dot + 1) + "AAAA" + t.substring(dot + 5));
        String[] parts = t.split("\\.");
        assertInactive(parts[0] + "." + parts[1].substring(1) + "." + parts[2]);
    }

    @Test
    void whenRefreshTokenIsIntrospectedByItsOwnClientThenActiveElseInactive() {
        TokenSet own = server.tokens(resourceServer);

        JSONObject json = Responses.json(introspect(resourceServer, own.refreshToken()));
        assertThat(json).containsEntry("active", true).containsEntry("client_id", resourceServer.clientId().getValue())
                .containsEntry("token_type", "refresh_token").containsEntry("sub", TestServer.USER);

        RegisteredClient other = server.save(TestClients.confidentialClient());
        assertThat(introspect(other, own.refreshToken()).getBody()).isEqualTo(INACTIVE);
        assertInactive(tokens.refreshToken());
    }

    @Test
    void whenRefreshTokenWasRotatedOutThenInactive() {
        TokenSet own = server.tokens(resourceServer);
        TokenSet next = TokenSet.of(server.token(server.refresh(resourceServer, own.refreshToken())));

        assertThat(introspect(resourceServer, own.refreshToken()).getBody()).isEqualTo(INACTIVE);
        assertThat(Responses.json(introspect(resourceServer, next.refreshToken()))).containsEntry("active", true);
    }

    @Test
    void whenTokenParameterIsMissingThenInvalidRequest() {
        HTTPResponse r = server.introspect(TestServer.authenticated(server.introspectionUri(), resourceServer));

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_request");
    }

    @Test
    void whenRequestIsNotAFormPostThenInvalidRequest() {
        HTTPResponse r = server.introspect(TestServer.authenticated(server.introspectionUri(), resourceServer)
                .param("token", tokens.accessToken()).method(HTTPRequest.Method.GET));

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).doesNotContain(tokens.accessToken());
    }

    @Test
    void whenJunkIsSentThenNeverAServerError() {
        String[] junk = {"", " ", "\u0000", "\"", "\\", "%zz", "\r\n", "\ud800", "x".repeat(9000),
            "eyJ" + "A".repeat(5000) + ".eyJ.sig"};
        for (String name : new String[] {"token", "client_id", "client_secret", "token_type_hint"}) {
            for (String value : junk) {
                HTTPResponse r = server.introspect(TestServer.authenticated(server.introspectionUri(), resourceServer)
                        .without(name).param(name, value));
                assertThat(r.getStatusCode()).as(name).isBetween(200, 499);
                if (r.getStatusCode() == 200) {
                    assertThat(r.getBody()).isEqualTo(INACTIVE);
                }
            }
        }
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type) throws Exception {
        ECKey key = server.server().signingKeys().currentKey().toECKey();
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID());
        if (type != null) {
            header.type(type);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

}
