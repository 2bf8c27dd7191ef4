package io.github.mcpoauth.core.internal.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * Signs EdDSA (Ed25519, RFC 8037 §3.1) with the JDK's own provider, so access tokens may be signed with EdDSA
 * without Nimbus' optional Tink dependency; {@code io.github.mcpoauth.core.internal.dpop.Ed25519Verifier} verifies.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8037#section-3.1">RFC 8037 §3.1</a>
 */
final class Ed25519Signer implements JWSSigner {

    private final PrivateKey key;
    private final JCAContext context = new JCAContext();

    Ed25519Signer(OctetKeyPair jwk) throws JOSEException {
        if (!Curve.Ed25519.equals(jwk.getCurve()) || jwk.getD() == null) {
            throw new JOSEException("only private Ed25519 keys sign EdDSA");
        }
        try {
            this.key = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, jwk.getD().decode()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new JOSEException("not an Ed25519 private key", e);
        }
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!supportedJWSAlgorithms().contains(header.getAlgorithm())) {
            throw new JOSEException("unsupported algorithm " + header.getAlgorithm());
        }
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signingInput);
            return Base64URL.encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("cannot sign with Ed25519", e);
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
