package io.github.mcpoauth.core.store.memory;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A refresh token hash as a map key, compact: a canonical base64url SHA-256 (43 characters, no padding: what the
 * server stores) is held as its 32 bytes in four {@code long}s, 48 bytes instead of the 88 of its {@code String};
 * any other text (a custom hash) is kept as it is. Two keys are equal exactly when their texts are: a text decodes
 * to longs only if it is canonical (every character base64url, the last one's two spare bits zero), so no two
 * texts share a key.
 */
class HashKey {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final byte[] VALUES = new byte[128];
    private static final int LENGTH = 43;

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private final long a;
    private final long b;
    private final long c;
    private final long d;
    /** The hash as given when it is not a canonical base64url SHA-256; else null. */
    private final String text;

    HashKey(String hash) {
        long[] words = decode(hash);
        if (words == null) {
            this.a = 0;
            this.b = 0;
            this.c = 0;
            this.d = 0;
            this.text = hash;
        } else {
            this.a = words[0];
            this.b = words[1];
            this.c = words[2];
            this.d = words[3];
            this.text = null;
        }
    }

    /** The hash as text, as it was given. */
    final String hash() {
        return text != null ? text : encode(new long[] {a, b, c, d});
    }

    @Override
    public final int hashCode() {
        // the bytes are a SHA-256 output, uniformly spread already
        return text != null ? text.hashCode() : (int) (a ^ (a >>> 32));
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HashKey k)) {
            return false;
        }
        return text != null ? text.equals(k.text) : k.text == null && a == k.a && b == k.b && c == k.c && d == k.d;
    }

    /** The 256 bits of a canonical 43-character base64url text, or null if it is anything else. */
    private static long[] decode(String s) {
        if (s.length() != LENGTH) {
            return null;
        }
        for (int i = 0; i < LENGTH; i++) {
            char ch = s.charAt(i);
            if (ch >= 128 || VALUES[ch] < 0) {
                return null;
            }
        }
        if ((VALUES[s.charAt(LENGTH - 1)] & 3) != 0) {
            return null; // not canonical: the last character's two spare bits must be zero
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(s));
        return new long[] {bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong()};
    }

    private static String encode(long[] words) {
        ByteBuffer bytes = ByteBuffer.allocate(32);
        for (long w : words) {
            bytes.putLong(w);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
