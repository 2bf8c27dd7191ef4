package io.github.mcpoauth.core.internal.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;

/**
 * Checks the signature of a JWT that a client or a trusted issuer signed (client assertions, RFC 7523 §2.2;
 * authorization grant assertions, RFC 7523 §2.1) against a JWK Set that was configured or registered: never a key
 * the JWT itself names ({@code jwk}, {@code jku}, {@code x5u} are ignored, RFC 8725 §3.10), only the asymmetric
 * algorithms allowed (no {@code none}, no HMAC), the key chosen by {@code kid} when the header has one.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1</a>
 */
public final class JwsSignatures {

    /** The asymmetric algorithms accepted on assertions (advertised in the metadata). */
    public static final List<JWSAlgorithm> ALLOWED = List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256,
            JWSAlgorithm.PS256);

    private JwsSignatures() {
    }

    /** Whether {@code alg} is allowed on assertions. */
    public static boolean allowed(JWSAlgorithm alg) {
        return ALLOWED.contains(alg);
    }

    /** Whether {@code jwt} carries an allowed algorithm and a valid signature by one of {@code keys}. */
    public static boolean verify(SignedJWT jwt, JWKSet keys) {
        JWSHeader header = jwt.getHeader();
        if (!allowed(header.getAlgorithm())) {
            return false;
        }
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyID(header.getKeyID())
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(header.getAlgorithm(), null)
                .keyType(KeyType.forAlgorithm(header.getAlgorithm()))
                .build();
        DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
        for (JWK jwk : new JWKSelector(matcher).select(keys)) {
            if (!(jwk instanceof AsymmetricJWK asymmetric)) {
                continue;
            }
            try {
                if (jwt.verify(factory.createJWSVerifier(header, asymmetric.toPublicKey()))) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // a key of the wrong shape for this alg: try the next one
            }
        }
        return false;
    }
}
