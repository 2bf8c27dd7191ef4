package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.DpopSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md case 46: a public client's refresh token obtained with a DPoP proof is bound to the proof's key
 * (RFC 9449 §5); a confidential client's is not.
 */
class DpopBoundRefreshTest {

    private TestServer server;
    private final ECKey key = ec();

    @BeforeEach
    void setUp() {
        server = TestServer.builder().settings(s -> s.dpop(DpopSettings.builder().build())).build();
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh DPoP proof for the token endpoint, signed by {@code signer}, at the server's time. */
    private String proof(ECKey signer) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                .claim("htu", server.tokenUri().toString()).issueTime(Date.from(server.clock().instant())).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(signer.toPublicJWK()).build(), claims);
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private static HTTPRequest withProof(Requests.Form form, String proof) {
        HTTPRequest request = form.build();
        if (proof != null) {
            request.setHeader("DPoP", proof);
        }
        return request;
    }

    /** Authorizes and redeems a code for {@code client}, with a proof of {@code signer} or none. */
    private TokenSet redeem(RegisteredClient client, ECKey signer) throws Exception {
        PkcePair pkce = PkcePair.random();
        String code = server.authorizeCode(client, pkce);
        HTTPResponse r = server.token(withProof(server.redemption(client, code, pkce.verifier()),
                signer == null ? null : proof(signer)));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return TokenSet.of(r);
    }

    private HTTPResponse refresh(RegisteredClient client, String refreshToken, ECKey signer) throws Exception {
        return server.token(withProof(server.refresh(client, refreshToken), signer == null ? null : proof(signer)));
    }

    private Grant grantOf(String refreshToken) {
        return server.stores().grants().findByRefreshToken(RefreshTokens.grantIdOf(refreshToken),
                Secrets.hash(refreshToken)).orElseThrow();
    }

    private static void assertInvalidGrant(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_grant");
    }

    @Test
    void whenPublicClientRedeemsWithProofThenGrantRecordsTheKeyThumbprint() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, key);

        assertThat(grantOf(tokens.refreshToken()).refreshTokenJkt())
                .contains(key.computeThumbprint().toString());
    }

    @Test
    void whenBoundRefreshTokenIsRefreshedWithProofOfTheSameKeyThenItRotatesAndStaysBound() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, key);

        HTTPResponse r = refresh(client, tokens.refreshToken(), key);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        TokenSet next = TokenSet.of(r);
        assertThat(next.json()).containsEntry("token_type", "DPoP");
        assertThat(SignedJWT.parse(next.accessToken()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .isEqualTo(Map.of("jkt", key.computeThumbprint().toString()));
        assertThat(grantOf(next.refreshToken()).refreshTokenJkt()).contains(key.computeThumbprint().toString());
        assertThat(refresh(client, next.refreshToken(), key).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenBoundRefreshTokenIsPresentedWithoutProofThenInvalidGrantAndItDoesNotRotate() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, key);

        assertInvalidGrant(refresh(client, tokens.refreshToken(), null));

        Grant grant = grantOf(tokens.refreshToken());
        assertThat(grant.refreshTokenHash()).contains(Secrets.hash(tokens.refreshToken()));
        assertThat(grant.revoked()).isFalse();
        assertThat(refresh(client, tokens.refreshToken(), key).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenBoundRefreshTokenIsPresentedWithAnotherKeysProofThenInvalidGrantAndItDoesNotRotate() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, key);

        assertInvalidGrant(refresh(client, tokens.refreshToken(), ec()));

        Grant grant = grantOf(tokens.refreshToken());
        assertThat(grant.refreshTokenHash()).contains(Secrets.hash(tokens.refreshToken()));
        assertThat(grant.revoked()).isFalse();
        assertThat(refresh(client, tokens.refreshToken(), key).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenRotatedOutBoundTokenIsPresentedWithoutProofThenInvalidGrantAndTheGrantIsNotRevoked() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, key);
        TokenSet next = TokenSet.of(refresh(client, tokens.refreshToken(), key));

        assertInvalidGrant(refresh(client, tokens.refreshToken(), null));

        assertThat(refresh(client, next.refreshToken(), key).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenPublicClientRedeemsWithoutProofThenRefreshTokenIsUnbound() throws Exception {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = redeem(client, null);

        assertThat(grantOf(tokens.refreshToken()).refreshTokenJkt()).isEmpty();
        assertThat(refresh(client, tokens.refreshToken(), null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenConfidentialClientRedeemsWithProofThenRefreshTokenIsUnbound() throws Exception {
        RegisteredClient client = server.save(TestClients.confidentialClient());
        TokenSet tokens = redeem(client, key);
        assertThat(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .isEqualTo(Map.of("jkt", key.computeThumbprint().toString()));

        assertThat(grantOf(tokens.refreshToken()).refreshTokenJkt()).isEqualTo(Optional.empty());
        HTTPResponse r = refresh(client, tokens.refreshToken(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(TokenSet.of(r).json()).containsEntry("token_type", "Bearer");
        HTTPResponse other = refresh(client, TokenSet.of(r).refreshToken(), ec());
        assertThat(other.getStatusCode()).as(other.getBody()).isEqualTo(200);
    }
}
