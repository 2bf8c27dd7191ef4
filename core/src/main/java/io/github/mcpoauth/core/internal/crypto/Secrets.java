package io.github.mcpoauth.core.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Generates, hashes and compares the opaque secrets of the server: authorization codes, refresh tokens,
 * client secrets and CSRF tokens.
 *
 * <p>Every value is 256 bits from a {@link SecureRandom}, base64url without padding (RFC 6749 §10.10, RFC 9700
 * §4.14). Because the values are high-entropy and server-generated, an unsalted SHA-256 is the right storage
 * form: it cannot be brute-forced, and it lets a store look a value up by its hash. Comparisons run in
 * constant time ({@link MessageDigest#isEqual}).
 */
public final class Secrets {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** The prototype {@link #sha256()} copies; never updated itself. */
    private static final MessageDigest SHA256 = newSha256();

    private final SecureRandom random;

    private Secrets(SecureRandom random) {
        this.random = random;
    }

    /** Secrets drawn from a new {@link SecureRandom}. */
    public static Secrets create() {
        return new Secrets(new SecureRandom());
    }

    /** Secrets drawn from {@code random} (tests may seed one). */
    public static Secrets using(SecureRandom random) {
        return new Secrets(Objects.requireNonNull(random, "random"));
    }

    /** A new 256-bit value, base64url (43 characters). */
    public String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** A new random identifier of {@code bytes} bytes, base64url; for ids that are not secrets. */
    public String newId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** The storage form of {@code secret}: base64url SHA-256 of its UTF-8 bytes. */
    public static String hash(String secret) {
        return B64.encodeToString(digest(Objects.requireNonNull(secret, "secret")));
    }

    /** The SHA-256 of {@code value}'s UTF-8 bytes, which {@link #hash} encodes. */
    public static byte[] digest(String value) {
        return sha256().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code presented} hashes to {@code storedHash}, compared in constant time. */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        return constantTimeEquals(hash(presented), storedHash);
    }

    /** Constant-time equality of two strings (length may leak, content does not). */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A fresh SHA-256 digest: a copy of {@link #SHA256}, cheaper than a provider look-up per hash (hashing is on the
     * path of every code, refresh token and client secret). The prototype itself is never updated, so copying it
     * from several threads at once is safe.
     */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
