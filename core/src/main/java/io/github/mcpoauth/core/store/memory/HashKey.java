package io.github.mcpoauth.core.store.memory;

/**
 * A refresh token hash as a map key, compact: a canonical base64url SHA-256 (43 characters, no padding: what the
 * server stores) is held as its 32 bytes in four {@code long}s, 48 bytes instead of the 88 of its {@code String};
 * any other text (a custom hash) is kept as it is. Two keys are equal exactly when their texts are: a text decodes
 * to longs only if it is canonical (every character base64url, the last one's two spare bits zero), so no two
 * texts share a key.
 */
class HashKey {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] VALUES = new byte[128];
    private static final int LENGTH = 43;

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
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
        long[] words = new long[4];
        int bits = 0;
        for (int i = 0; i < LENGTH; i++) {
            char ch = s.charAt(i);
            int v = ch < 128 ? VALUES[ch] : -1;
            if (v < 0) {
                return null;
            }
            if (i == LENGTH - 1) {
                if ((v & 3) != 0) {
                    return null; // not canonical: the two spare bits must be zero
                }
                v >>>= 2;
                put(words, bits, v, 4);
            } else {
                put(words, bits, v, 6);
                bits += 6;
            }
        }
        return words;
    }

    /** Writes the {@code n} low bits of {@code v} at bit offset {@code bit} (big-endian across the words). */
    private static void put(long[] words, int bit, int v, int n) {
        for (int i = n - 1; i >= 0; i--, bit++) {
            if (((v >>> i) & 1) != 0) {
                words[bit >>> 6] |= 1L << (63 - (bit & 63));
            }
        }
    }

    private static String encode(long[] words) {
        char[] out = new char[LENGTH];
        int bit = 0;
        for (int i = 0; i < LENGTH; i++) {
            int n = i == LENGTH - 1 ? 4 : 6;
            int v = 0;
            for (int j = 0; j < n; j++, bit++) {
                v = (v << 1) | (int) ((words[bit >>> 6] >>> (63 - (bit & 63))) & 1);
            }
            out[i] = ALPHABET[i == LENGTH - 1 ? v << 2 : v];
        }
        return new String(out);
    }
}
