package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.internal.crypto.Secrets;

/**
 * 128 bits of a refresh token hash, as two {@code long}s: what the in-memory grant store keeps of a rotated-out
 * hash (16 bytes instead of the 88 of its {@code String}). Of a canonical base64url SHA-256 (43 characters, no
 * padding: what the server stores) they are 128 of its 256 bits, read from its first 22 characters; of any other
 * text (a custom hash) they are 128 bits of the SHA-256 of the text. Equal texts have equal bits; two hashes of
 * distinct random tokens share them with probability 2<sup>-128</sup>.
 */
final class HashBits {

    /** How many {@code long}s a hash takes. */
    static final int WORDS = 2;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final byte[] VALUES = new byte[128];
    private static final int LENGTH = 43;
    /** 22 characters of 6 bits: 132 bits, of which the last 128 are kept. */
    private static final int READ = 22;

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private HashBits() {
    }

    /** Writes the 128 bits of {@code hash} to {@code into[at]} and {@code into[at + 1]}. */
    static void write(String hash, long[] into, int at) {
        String canonical = isCanonical(hash) ? hash : Secrets.hash(hash);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < READ; i++) {
            hi = (hi << 6) | (lo >>> 58);
            lo = (lo << 6) | VALUES[canonical.charAt(i)];
        }
        into[at] = hi;
        into[at + 1] = lo;
    }

    /**
     * Whether {@code bits} holds the bits of {@code hash} at any of its first {@code count} positions (a position
     * being {@link #WORDS} words, from {@code from}); every position is compared, whatever matches.
     */
    static boolean anyOf(long[] bits, int from, int count, String hash) {
        long[] mine = new long[WORDS];
        write(hash, mine, 0);
        long found = 0;
        for (int i = 0, at = from; i < count; i++, at += WORDS) {
            long diff = (bits[at] ^ mine[0]) | (bits[at + 1] ^ mine[1]);
            // 1 exactly when diff is 0, without a branch on the bits
            found |= ((diff | -diff) >>> 63) ^ 1;
        }
        return found != 0;
    }

    /** A 43-character text of base64url characters only, as {@link Secrets#hash} makes. */
    private static boolean isCanonical(String s) {
        if (s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char ch = s.charAt(i);
            if (ch >= 128 || VALUES[ch] < 0) {
                return false;
            }
        }
        return true;
    }
}
