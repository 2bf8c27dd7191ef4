package io.github.mcpoauth.core.internal.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * Verifies EdDSA (Ed25519) signatures with the JDK's own provider (Java 15+), so DPoP proofs may use EdDSA without
 * Nimbus's optional Tink dependency. The key is an RFC 8037 {@code OKP} JWK on curve {@code Ed25519}: {@code x} is
 * the RFC 8032 encoding of the public point (little-endian {@code y}, the top bit the parity of {@code x}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8037#section-2">RFC 8037 §2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8032#section-5.1.2">RFC 8032 §5.1.2</a>
 */
public final class Ed25519Verifier implements JWSVerifier {

    private static final int KEY_LENGTH = 32;
    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey key;
    private final JCAContext context = new JCAContext();

    /** A verifier of signatures by the Ed25519 key {@code jwk} (an OKP JWK, RFC 8037 §2). */
    public Ed25519Verifier(OctetKeyPair jwk) throws JOSEException {
        if (!Curve.Ed25519.equals(jwk.getCurve())) {
            throw new JOSEException("only Ed25519 keys verify EdDSA proofs");
        }
        byte[] x = jwk.getX().decode();
        if (x.length != KEY_LENGTH) {
            throw new JOSEException("an Ed25519 public key is 32 bytes");
        }
        boolean xOdd = (x[KEY_LENGTH - 1] & 0x80) != 0;
        byte[] y = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            y[i] = x[KEY_LENGTH - 1 - i]; // to big-endian
        }
        y[0] &= 0x7f;
        try {
            this.key = KeyFactory.getInstance("EdDSA").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                    new EdECPoint(xOdd, new BigInteger(1, y))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new JOSEException("not an Ed25519 public key", e);
        }
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!supportedJWSAlgorithms().contains(header.getAlgorithm())) {
            throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
        }
        byte[] sig = signature.decode();
        if (sig.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }
}
