package io.github.mcpoauth.core.internal.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import io.github.mcpoauth.core.internal.dpop.Ed25519Verifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;

/**
 * Signing key material per JWS algorithm: generation of a private JWK for each algorithm the server may sign
 * access tokens with (RFC 7518 §3, RFC 8037 §3.1), and parsing of stored keys.
 *
 * <p>Ed25519 keys are made with the JDK's own {@code Ed25519} generator: Nimbus' {@code OctetKeyPairGenerator}
 * needs Tink, which this library does not depend on.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-3.1">RFC 7518 §3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8037#section-2">RFC 8037 §2 (OKP keys)</a>
 */
public final class KeyMaterial {

    /** The algorithms access tokens may be signed with; the first is the default. */
    public static final List<JWSAlgorithm> SIGNING_ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256,
            JWSAlgorithm.PS256, JWSAlgorithm.EdDSA);

    /** RSA keys are made this large (RFC 8725 §3.5 asks for at least 2048 bits). */
    static final int RSA_BITS = 2048;

    /** An Ed25519 key's length: the last bytes of its X.509 and PKCS #8 encodings (RFC 8410 §4, §7). */
    private static final int ED25519_BYTES = 32;

    private KeyMaterial() {
    }

    /** Whether access tokens may be signed with {@code alg}. */
    public static boolean supported(JWSAlgorithm alg) {
        return SIGNING_ALGORITHMS.contains(alg);
    }

    /** A new private signing JWK for {@code alg}, with {@code kid}, {@code use: sig} and {@code alg}. */
    static JWK generate(JWSAlgorithm alg, String kid) {
        try {
            if (JWSAlgorithm.ES256.equals(alg)) {
                return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
            }
            if (JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg)) {
                return new RSAKeyGenerator(RSA_BITS).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
            }
            if (JWSAlgorithm.EdDSA.equals(alg)) {
                return ed25519(kid);
            }
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
        throw new IllegalArgumentException("unsupported signing algorithm " + alg);
    }

    private static OctetKeyPair ed25519(String kid) throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pub = pair.getPublic().getEncoded();
        byte[] priv = pair.getPrivate().getEncoded();
        byte[] x = Arrays.copyOfRange(pub, pub.length - ED25519_BYTES, pub.length);
        byte[] d = Arrays.copyOfRange(priv, priv.length - ED25519_BYTES, priv.length);
        try {
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).keyID(kid)
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build();
        } finally {
            Arrays.fill(d, (byte) 0);
            Arrays.fill(priv, (byte) 0);
        }
    }

    /** The algorithm {@code key} signs with: its {@code alg}, or ES256 for an EC key stored without one. */
    public static JWSAlgorithm algorithm(JWK key) {
        if (key.getAlgorithm() != null) {
            return JWSAlgorithm.parse(key.getAlgorithm().getName());
        }
        return key instanceof ECKey ? JWSAlgorithm.ES256 : null;
    }

    /** The private material of {@code key} (EC and OKP {@code d}, RSA private exponent): a copy. */
    static byte[] privateBytes(JWK key) {
        Base64URL secret = key instanceof ECKey ec ? ec.getD()
                : key instanceof RSAKey rsa ? rsa.getPrivateExponent()
                : key instanceof OctetKeyPair okp ? okp.getD() : null;
        if (secret == null) {
            throw new IllegalStateException("signing key " + key.getKeyID() + " holds no private material");
        }
        return secret.decode();
    }

    /** A signer with the private key {@code key}, for the algorithm its kind signs with. */
    public static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof ECKey ec) {
            return new ECDSASigner(ec);
        }
        if (key instanceof RSAKey rsa) {
            return new RSASSASigner(rsa);
        }
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519Signer(okp);
        }
        throw new JOSEException("no signer for key type " + key.getKeyType());
    }

    /** A verifier with the public part of {@code key}; Ed25519 on the JDK's own provider (no Tink). */
    public static JWSVerifier verifier(JWK key) throws JOSEException {
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec.toPublicJWK());
        }
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa.toPublicJWK());
        }
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519Verifier(okp.toPublicJWK());
        }
        throw new JOSEException("no verifier for key type " + key.getKeyType());
    }

    /** Parses a stored private JWK. */
    static JWK parse(String keyId, String json) {
        try {
            JWK key = JWK.parse(json);
            if (!key.isPrivate()) {
                throw new IllegalStateException("stored signing key " + keyId + " is not a private key");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing key " + keyId + " is not a JWK", e);
        }
    }
}
