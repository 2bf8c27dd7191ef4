package io.github.mcpoauth.core.internal.keys;

import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A {@link SigningKeyStore} decorator that keeps the private JWK of each key encrypted at rest: AES-GCM under a
 * key-encryption key the application provides (128, 192 or 256 bits), a fresh 96-bit nonce per key, the key id as
 * additional authenticated data (a ciphertext copied onto another key's row does not decrypt). The stored form is
 * {@code enc:A256GCM:<base64url(nonce | ciphertext | tag)>} (the algorithm names the key size).
 *
 * <p>Reading a key that does not decrypt (a wrong key-encryption key, a tampered row, or a key stored unencrypted
 * before encryption was turned on) fails with an {@link IllegalStateException} naming the key id and the cause,
 * never with key material. Saves and the compare-and-set go to the wrapped store, so the JDBC store's
 * cross-node {@code saveIfUnchanged} still holds.
 *
 * @see <a href="https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf">NIST SP 800-38D</a>
 */
public final class EncryptedSigningKeyStore implements SigningKeyStore {

    private static final String PREFIX = "enc:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SigningKeyStore delegate;
    private final SecretKey key;
    private final String algorithm;
    private final SecureRandom random = new SecureRandom();

    private EncryptedSigningKeyStore(SigningKeyStore delegate, SecretKey key) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.key = Objects.requireNonNull(key, "key");
        byte[] raw = key.getEncoded();
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || raw == null
                || (raw.length != 16 && raw.length != 24 && raw.length != 32)) {
            throw new IllegalArgumentException("key must be an AES key of 128, 192 or 256 bits");
        }
        this.algorithm = "A" + raw.length * 8 + "GCM";
    }

    /** Wraps {@code delegate} so that it stores every key encrypted under {@code key}. */
    public static EncryptedSigningKeyStore wrap(SigningKeyStore delegate, SecretKey key) {
        return new EncryptedSigningKeyStore(delegate, key);
    }

    @Override
    public void save(SigningKey signingKey) {
        delegate.save(encrypt(signingKey));
    }

    @Override
    public List<SigningKey> findAll() {
        return delegate.findAll().stream().map(this::decrypt).toList();
    }

    @Override
    public boolean saveIfUnchanged(SigningKey signingKey, Set<String> expectedKeyIds) {
        return delegate.saveIfUnchanged(encrypt(signingKey), expectedKeyIds);
    }

    private SigningKey encrypt(SigningKey k) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(k.keyId().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(k.jwkJson().getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return with(k, PREFIX + algorithm + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + k.keyId() + " could not be encrypted: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private SigningKey decrypt(SigningKey k) {
        String stored = k.jwkJson();
        String expected = PREFIX + algorithm + ":";
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("signing key " + k.keyId() + " is stored unencrypted while key "
                    + "encryption is on: delete the store's signing keys once (a new key is made; see "
                    + "docs/deployment.md), or turn encryption off");
        }
        if (!stored.startsWith(expected)) {
            throw new IllegalStateException("signing key " + k.keyId() + " was encrypted with another key size than "
                    + algorithm + ": wrong key-encryption key");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(stored.substring(expected.length()));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(k.keyId().getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return with(k, new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + k.keyId() + " cannot be decrypted: wrong "
                    + "key-encryption key, or the stored key was altered (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SigningKey with(SigningKey k, String jwk) {
        return new SigningKey(k.keyId(), jwk, k.createdAt(), k.activatesAt(), k.retiresAt(), k.expiresAt());
    }

    @Override
    public String toString() {
        return "EncryptedSigningKeyStore[" + algorithm + ", " + delegate + "]";
    }
}
