package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static io.github.mcpoauth.servlet.security.SecurityFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SECURITY.md cases 20 to 22: revocation (RFC 7009) and introspection (RFC 7662), over real HTTP. */
class RevocationIntrospectionSecurityCasesTest {

    private static final String INACTIVE = "{\"active\":false}";

    private SecurityFixture fx;
    private McpClient client;

    @BeforeEach
    void start() throws Exception {
        fx = SecurityFixture.start();
        client = fx.publicClient();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private HttpResponse<String> revoke(McpClient c, String token) throws Exception {
        return c.authenticated(fx.uri("/oauth2/revoke"), form("token", token));
    }

    @Test
    void case20_whenRevokingUnknownMalformedOrForeignTokenThen200AndNothingRevoked() throws Exception {
        SecurityFixture.Tokens t = fx.grant(client, "alice");
        for (String junk : List.of("unknown", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "x".repeat(9000), "%00\u0000",
                t.accessToken() + "x", t.refreshToken().substring(1))) {
            HttpResponse<String> r = revoke(client, junk);
            assertThat(r.statusCode()).as("revoke %s", junk.length() > 20 ? junk.substring(0, 20) : junk)
                    .isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
        // Another client's tokens: 200 as well (no oracle), but nothing happens to them.
        McpClient other = fx.publicClient();
        assertThat(revoke(other, t.refreshToken()).statusCode()).isEqualTo(200);
        assertThat(revoke(other, t.accessToken()).statusCode()).isEqualTo(200);
        McpClient confidential = fx.client("client_secret_basic");
        assertThat(revoke(confidential, t.refreshToken()).statusCode()).isEqualTo(200);

        assertThat(fx.active(t.accessToken())).isTrue();
        assertThat(client.refresh(t.refreshToken()).statusCode()).isEqualTo(200);
        assertThat(fx.audit.count(AuditEvent.Type.TOKEN_REVOKED)).isZero();
    }

    @Test
    void case21_whenRefreshTokenRevokedThenItsGrantsAccessTokensAreRevoked() throws Exception {
        SecurityFixture.Tokens t = fx.grant(client, "alice");
        HttpResponse<String> refreshed = client.refresh(t.refreshToken());
        String access2 = McpClient.json(refreshed).get("access_token").asText();
        String refresh2 = McpClient.json(refreshed).get("refresh_token").asText();
        SecurityFixture.Tokens unrelated = fx.grant(client, "alice");

        assertThat(revoke(client, refresh2).statusCode()).isEqualTo(200);

        assertThat(fx.active(t.accessToken())).isFalse();
        assertThat(fx.active(access2)).isFalse();
        assertOAuthError(client.refresh(refresh2), 400, "invalid_grant");
        assertThat(fx.audit.count(AuditEvent.Type.TOKEN_REVOKED)).isEqualTo(1);
        // Only that grant: another authorization of the same client and user lives on.
        assertThat(fx.active(unrelated.accessToken())).isTrue();
        assertThat(client.refresh(unrelated.refreshToken()).statusCode()).isEqualTo(200);
        // Revoking an access token revokes its grant as well.
        SecurityFixture.Tokens third = fx.grant(client, "alice");
        assertThat(revoke(client, third.accessToken()).statusCode()).isEqualTo(200);
        assertOAuthError(client.refresh(third.refreshToken()), 400, "invalid_grant");
    }

    @Test
    void case22_whenIntrospectionUnauthenticatedThen401AndForeignExpiredRevokedUnknownAreJustInactive()
            throws Exception {
        SecurityFixture.Tokens t = fx.grant(client, "alice");
        // No caller authentication, a public client's id alone, a wrong secret: 401.
        assertOAuthError(fx.browser.post(fx.uri("/oauth2/introspect"), form("token", t.accessToken())), 401,
                "invalid_client");
        assertOAuthError(client.authenticated(fx.uri("/oauth2/introspect"), form("token", t.accessToken())), 401,
                "invalid_client");
        McpClient rs = fx.resourceServer();
        assertOAuthError(fx.browser.post(fx.uri("/oauth2/introspect"), form("token", t.accessToken()),
                "Authorization", TokenEndpointSecurityCasesTest.basicAuth(rs.clientId(), "wrong")), 401,
                "invalid_client");

        assertThat(fx.introspect(t.accessToken()).body()).contains("\"active\":true");
        // foreign: same header and claims, signed by a key this server never had
        JWTClaimsSet real = AccessTokenClaims.of(fx.server.oauth(), t.accessToken());
        String kid = fx.server.oauth().server().signingKeys().currentKey().getKeyID();
        ECKey foreignKey = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(AccessTokens.AT_JWT)
                .keyID(kid).build(), real);
        forged.sign(new ECDSASigner(foreignKey));
        assertInactive(forged.serialize());
        // foreign: a token of another authorization server
        try (SecurityFixture elsewhere = SecurityFixture.start()) {
            SecurityFixture.Tokens theirs = elsewhere.grant(elsewhere.publicClient(), "alice");
            assertInactive(theirs.accessToken());
            assertInactive(theirs.refreshToken());
        }
        // foreign: another client's refresh token is not described to this caller
        assertInactive(t.refreshToken());
        // unknown and malformed
        for (String junk : List.of("unknown", "a.b.c", "x".repeat(9000), t.accessToken().replace('.', '!'))) {
            assertInactive(junk);
        }
        // revoked
        SecurityFixture.Tokens revoked = fx.grant(client, "alice");
        assertThat(revoke(client, revoked.refreshToken()).statusCode()).isEqualTo(200);
        assertInactive(revoked.accessToken());
        assertInactive(revoked.refreshToken());
        // expired (access tokens live an hour)
        fx.clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertInactive(t.accessToken());
    }

    private void assertInactive(String token) throws Exception {
        HttpResponse<String> r = fx.introspect(token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(INACTIVE);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
