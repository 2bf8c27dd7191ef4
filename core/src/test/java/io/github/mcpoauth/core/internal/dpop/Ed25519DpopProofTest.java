package io.github.mcpoauth.core.internal.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.DpopSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * EdDSA (Ed25519, RFC 8037) DPoP proofs, verified with the JDK's own EdDSA (no Tink): accepted when the settings
 * allow EdDSA, refused when they do not, when the signature is not the key's, or when the key is not Ed25519.
 */
class Ed25519DpopProofTest {

    private static final URI TOKEN_URL = URI.create("https://as.example.com/oauth2/token");
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void whenEdDsaAllowedAndProofSignedByItsKeyThenAcceptedWithTheKeysThumbprint() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        OctetKeyPair jwk = okp(keys);

        String jkt = verifier("EdDSA").verify(proof(keys, jwk, keys), "POST", List.of(TOKEN_URL), null);

        assertThat(jkt).isEqualTo(jwk.computeThumbprint().toString());
    }

    @Test
    void whenSignedByAnotherKeyThenRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        assertThatThrownBy(() -> verifier("EdDSA").verify(proof(keys, okp(keys), other), "POST", List.of(TOKEN_URL),
                null)).isInstanceOf(DpopProofVerifier.Refused.class).hasMessageContaining("signature");
    }

    @Test
    void whenEdDsaNotAllowedThenRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        assertThatThrownBy(() -> verifier("ES256").verify(proof(keys, okp(keys), keys), "POST", List.of(TOKEN_URL),
                null)).isInstanceOf(DpopProofVerifier.Refused.class).hasMessageContaining("alg not allowed");
    }

    @Test
    void whenKeyIsNotOnEd25519ThenRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, okp(keys).getX()).build();

        assertThatThrownBy(() -> verifier("EdDSA").verify(proof(keys, x25519, keys), "POST", List.of(TOKEN_URL),
                null)).isInstanceOf(DpopProofVerifier.Refused.class).hasMessageContaining("jwk does not fit alg");
    }

    private DpopProofVerifier verifier(String alg) {
        return new DpopProofVerifier(DpopSettings.builder().algorithms(alg).build(), clock, Secrets.create());
    }

    /** The RFC 8037 public JWK of a JDK Ed25519 key pair: x is little-endian y with x's parity in the top bit. */
    private static OctetKeyPair okp(KeyPair keys) {
        EdECPublicKey pub = (EdECPublicKey) keys.getPublic();
        byte[] y = pub.getPoint().getY().toByteArray();
        byte[] x = new byte[32];
        for (int i = 0; i < 32 && i < y.length; i++) {
            x[i] = y[y.length - 1 - i];
        }
        if (pub.getPoint().isXOdd()) {
            x[31] |= (byte) 0x80;
        }
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build();
    }

    /** A proof whose header carries {@code jwk}, signed with {@code signer}'s private key. */
    private String proof(KeyPair keys, OctetKeyPair jwk, KeyPair signer) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(DpopProofVerifier.DPOP_JWT).jwk(jwk).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                .claim("htu", TOKEN_URL.toString()).issueTime(Date.from(clock.instant())).build();
        String input = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(signer.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64URL.encode(s.sign());
    }
}
