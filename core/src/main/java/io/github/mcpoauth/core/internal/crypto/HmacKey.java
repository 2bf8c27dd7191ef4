package io.github.mcpoauth.core.internal.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One same-app MAC secret ({@link io.github.mcpoauth.core.internal.keys.MacKeys}) as both token forms use it: a
 * Nimbus {@link JWSVerifier} of HS256 JWTs (Nimbus' {@link MACVerifier}: the whole HMAC, compared in constant time),
 * and {@link #mac()}, the raw HMAC-SHA256 a compact token's truncated MAC is computed from
 * ({@link io.github.mcpoauth.core.internal.resource.CompactTokens}).
 *
 * <p>{@link #mac()} copies a {@link Mac} initialized once with the secret rather than looking a provider up and
 * keying it on every call (compact tokens are verified on every guarded request), as {@link Secrets} copies its
 * SHA-256. A {@code Mac} is not thread-safe, so the prototype is never updated itself, only cloned; a provider
 * whose MAC cannot be cloned gets a new instance per call. Thread-safe.
 */
public final class HmacKey implements JWSVerifier {

    private static final String ALGORITHM = "HmacSHA256";

    private final MACVerifier jwt;
    private final SecretKeySpec key;
    /** Initialized with {@link #key}; only ever cloned. */
    private final Mac prototype;
    private final boolean cloneable;

    /**
     * The HMAC-SHA256 key of {@code secret}; the array is kept (by Nimbus' verifier), so it must not be cleared.
     *
     * @throws IllegalArgumentException if {@code secret} is shorter than 256 bits (HS256 needs as many)
     */
    public HmacKey(byte[] secret) {
        try {
            this.jwt = new MACVerifier(secret);
            this.key = new SecretKeySpec(secret, ALGORITHM);
            this.prototype = newMac(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("an HS256 secret is at least 256 bits", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA256 in this JDK", e);
        }
        this.cloneable = isCloneable(prototype);
    }

    /** A fresh HMAC-SHA256 under this key, ready for {@code update}; the caller's alone. */
    public Mac mac() {
        try {
            return cloneable ? (Mac) prototype.clone() : newMac(key);
        } catch (CloneNotSupportedException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an HMAC-SHA256", e);
        }
    }

    /** Verifies an HS256 JWS: the whole 256-bit HMAC, in constant time (Nimbus {@link MACVerifier}). */
    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        return jwt.verify(header, signingInput, signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return jwt.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
        return jwt.getJCAContext();
    }

    @Override
    public String toString() {
        return "HmacKey[HmacSHA256]"; // never the secret
    }

    private static Mac newMac(SecretKeySpec key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(key);
        return mac;
    }

    private static boolean isCloneable(Mac mac) {
        try {
            mac.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }
}
