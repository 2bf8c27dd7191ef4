package io.github.mcpoauth.core.internal.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HS256 keys of same-app access tokens: one 256-bit secret per signing key, derived as
 * HMAC-SHA256(key = the signing key's private material, data = {@link #LABEL}), so every node that shares the
 * signing keys shares the MAC keys, they rotate with them, and nothing new is stored (keys encrypted at rest stay
 * so). A MAC key has the {@code kid} of its signing key and lives as long as that key is published: a token MAC'd
 * under a retired key verifies until the key expires (after every token it signed), never after.
 *
 * <p>A compact same-app token ({@link io.github.mcpoauth.core.internal.resource.CompactTokens}) names its key by a
 * {@link #tag} of the {@code kid} rather than by the {@code kid} itself, to stay short; {@link #verifier} and
 * {@link #hmac} take either. Both hand out the same {@link HmacKey}: a verifier of HS256 JWTs that also computes the
 * raw HMAC a compact token's truncated MAC is checked against.
 *
 * <p>These secrets are never published: the JWK Set holds the public signing keys only. Signers and
 * {@link HmacKey}s are made once per key and shared (they are thread-safe).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-3.2">RFC 7518 §3.2 (HS256)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.2">RFC 8725 §3.2 (key per algorithm)</a>
 */
public final class MacKeys {

    /** The derivation label; a new version of the scheme changes it. */
    static final byte[] LABEL = "mcp-oauth same-app access token HS256 v1".getBytes(StandardCharsets.US_ASCII);

    private final SigningKeys keys;
    /** By {@code kid}: a handful of entries, one per signing key (rotated every 90 days). */
    private final Map<String, MacKey> derived = new ConcurrentHashMap<>();
    /** The {@code kid} of each tag derived here; as many entries as {@link #derived}. */
    private final Map<String, String> tags = new ConcurrentHashMap<>();

    /** MAC keys derived from {@code keys}. */
    public MacKeys(SigningKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * One MAC key: its {@code kid}, signer and HMAC.
     *
     * @param keyId the {@code kid} (the signing key's)
     * @param tag the {@link #tag} of {@code keyId}
     * @param signer signs HS256 JWTs with the derived secret
     * @param hmac the derived secret: verifies HS256 JWTs in constant time, and MACs compact tokens
     */
    public record MacKey(String keyId, String tag, JWSSigner signer, HmacKey hmac) {
        @Override
        public String toString() {
            return "MacKey[keyId=" + keyId + "]";
        }
    }

    /** The key to MAC new tokens with: derived from the current signing key. */
    public MacKey current() {
        return derive(keys.currentKey());
    }

    /**
     * The short name of {@code keyId} in compact tokens: the first {@value CompactTokens#TAG_LENGTH} characters of
     * the base64url SHA-256 of its UTF-8 bytes ({@link Secrets#hash}), i.e. its first 48 bits. Two published keys
     * sharing a tag (one chance in 2^48 per pair) would make a token of one of them fail to verify, never verify
     * under the other's secret.
     */
    public static String tag(String keyId) {
        return Secrets.hash(keyId).substring(0, CompactTokens.TAG_LENGTH);
    }

    /**
     * The HS256 verifier of {@code keyId}, a {@code kid} or the base64url {@link #tag} of one, while its signing key
     * is published, else empty: the {@link #hmac} of {@code keyId}, as a Nimbus verifier.
     *
     * @throws io.github.mcpoauth.core.store.StoreException if the key list cannot be read now (see
     *     {@link SigningKeys#privateKey(String, java.util.function.Predicate)})
     */
    public Optional<JWSVerifier> verifier(String keyId) {
        return hmac(keyId).map(JWSVerifier.class::cast);
    }

    /**
     * The MAC key of {@code keyId}, a {@code kid} or the base64url {@link #tag} of one, while its signing key is
     * published, else empty.
     *
     * @throws io.github.mcpoauth.core.store.StoreException if the key list cannot be read now (see
     *     {@link SigningKeys#privateKey(String, java.util.function.Predicate)})
     */
    public Optional<HmacKey> hmac(String keyId) {
        String tagged = tags.get(keyId); // the tag of a key derived here names its kid at once
        // else a kid, or the tag of a key not derived here yet (another node's: found as an unknown kid is)
        Predicate<String> matches = tagged != null ? tagged::equals : k -> k.equals(keyId) || keyId.equals(tag(k));
        return keys.privateKey(keyId, matches).map(k -> derive(k).hmac());
    }

    private MacKey derive(JWK key) {
        MacKey known = derived.get(key.getKeyID());
        return known != null ? known : derived.computeIfAbsent(key.getKeyID(), id -> make(key));
    }

    private MacKey make(JWK key) {
        byte[] material = KeyMaterial.privateBytes(key);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(material, "HmacSHA256"));
            byte[] secret = mac.doFinal(LABEL); // held by the signer and the HMAC (Nimbus keeps the array)
            String tag = tag(key.getKeyID());
            tags.putIfAbsent(tag, key.getKeyID());
            return new MacKey(key.getKeyID(), tag, new MACSigner(secret), new HmacKey(secret));
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot derive the MAC key of signing key " + key.getKeyID(), e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }
}
