package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.Grant;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading back our own access tokens: only what this server signed, as an at+jwt, unexpired. */
class AccessTokensTest {

    private TestServer server;
    private AccessTokens tokens;
    private Instant now;
    private SignedJWT issued;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        tokens = server.server().accessTokens();
        now = server.clock().instant();
        Grant grant = new Grant("grant-1", new ClientID("client-1"), "alice", Set.of("mcp:read"),
                List.of(TestServer.RESOURCE), now, Optional.empty(), now.plusSeconds(3600), false);
        issued = parse(tokens.issue(grant, Set.of("mcp:read"), List.of(TestServer.RESOURCE), now));
    }

    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    private Optional<JWTClaimsSet> read(String token) {
        return tokens.read(token, now);
    }

    private SignedJWT resign(JWSHeader header, JWTClaimsSet claims, ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt;
    }

    private JWSHeader.Builder ourHeader() {
        return new JWSHeader.Builder(issued.getHeader());
    }

    @Test
    void whenIssuedTokenIsReadThenClaimsComeBack() throws Exception {
        JWTClaimsSet c = read(issued.serialize()).orElseThrow();

        assertThat(c.getSubject()).isEqualTo("alice");
        assertThat(c.getStringClaim("gid")).isEqualTo("grant-1");
        assertThat(c.getStringClaim("scope")).isEqualTo("mcp:read");
        assertThat(issued.getHeader().getKeyID()).isEqualTo(server.server().signingKeys().currentKey().getKeyID());
    }

    @Test
    void whenTokenHasExpiredThenEmpty() {
        assertThat(tokens.read(issued.serialize(), now.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(tokens.read(issued.serialize(), now.plus(Duration.ofMinutes(59)))).isPresent();
    }

    @Test
    void whenAlgIsNoneThenEmpty() throws Exception {
        assertThat(read(new PlainJWT(issued.getJWTClaimsSet()).serialize())).isEmpty();
        String[] parts = issued.serialize().split("\\.");
        String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\""
                + issued.getHeader().getKeyID() + "\"}").toString();
        assertThat(read(noneHeader + "." + parts[1] + ".")).isEmpty();
        assertThat(read(noneHeader + "." + parts[1] + "." + parts[2])).isEmpty();
    }

    @Test
    void whenHmacIsSignedWithThePublicKeyThenEmpty() throws Exception {
        ECKey pub = server.server().signingKeys().currentKey().toECKey().toPublicJWK();
        byte[] secret = pub.toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AccessTokens.AT_JWT)
                .keyID(pub.getKeyID()).build(), issued.getJWTClaimsSet());
        hs.sign(new MACSigner(secret));

        assertThat(read(hs.serialize())).isEmpty();
    }

    @Test
    void whenKeyIsUnknownOrMissingThenEmpty() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(issued.getHeader().getKeyID()).generate();

        assertThat(read(resign(ourHeader().build(), issued.getJWTClaimsSet(), stranger).serialize())).isEmpty();
        ECKey ours = server.server().signingKeys().currentKey().toECKey();
        assertThat(read(resign(ourHeader().keyID("other").build(), issued.getJWTClaimsSet(), ours).serialize()))
                .isEmpty();
        assertThat(read(resign(ourHeader().keyID(null).build(), issued.getJWTClaimsSet(), ours).serialize()))
                .isEmpty();
    }

    @Test
    void whenHeaderPointsAtOutsideKeysThenEmpty() throws Exception {
        ECKey ours = server.server().signingKeys().currentKey().toECKey();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();

        assertThat(read(resign(ourHeader().jwkURL(URI.create("https://evil.example.com/jwks")).build(),
                issued.getJWTClaimsSet(), ours).serialize())).isEmpty();
        assertThat(read(resign(ourHeader().jwk(stranger.toPublicJWK()).build(), issued.getJWTClaimsSet(), stranger)
                .serialize())).isEmpty();
        assertThat(read(resign(ourHeader().x509CertURL(URI.create("https://evil.example.com/cert")).build(),
                issued.getJWTClaimsSet(), ours).serialize())).isEmpty();
    }

    @Test
    void whenEcdsaSignatureIsAllZeroThenEmpty() {
        String[] parts = issued.serialize().split("\\.");
        String zero = Base64URL.encode(new byte[64]).toString();

        assertThat(read(parts[0] + "." + parts[1] + "." + zero)).isEmpty();
    }

    @Test
    void whenTokenIsHugeOrNotThreePartsThenEmpty() {
        assertThat(read("a".repeat(9000) + ".b.c")).isEmpty();
        assertThat(read(issued.serialize() + ".x")).isEmpty();
        assertThat(read("")).isEmpty();
        assertThat(read(null)).isEmpty();
        assertThat(read("..")).isEmpty();
        assertThat(read("\u0000.\u0000.\u0000")).isEmpty();
    }
}
