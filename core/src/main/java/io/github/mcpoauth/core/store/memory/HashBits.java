package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * 128 bits of a refresh token hash, as two {@code long}s: what the in-memory grant store keeps of a rotated-out
 * hash (16 bytes instead of the 88 of its {@code String}). Of a base64url SHA-256 (43 characters, no padding: what
 * the server stores) they are its first 128 bits; of any other text (a custom hash) the first 128 bits of the
 * SHA-256 of the text. Equal texts have equal bits; two hashes of distinct random tokens share them with probability
 * 2<sup>-128</sup>.
 */
final class HashBits {

    /** How many {@code long}s a hash takes. */
    static final int WORDS = 2;

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    /** A SHA-256 in base64url without padding. */
    private static final int LENGTH = 43;

    private HashBits() {
    }

    /** Writes the 128 bits of {@code hash} to {@code into[at]} and {@code into[at + 1]}. */
    static void write(String hash, long[] into, int at) {
        ByteBuffer bits = ByteBuffer.wrap(bytes(hash));
        into[at] = bits.getLong();
        into[at + 1] = bits.getLong();
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

    /** The 32 bytes {@code hash} encodes if it is a base64url SHA-256, else those of the SHA-256 of the text. */
    private static byte[] bytes(String hash) {
        if (hash.length() == LENGTH) {
            try {
                return B64.decode(hash);
            } catch (IllegalArgumentException notBase64url) {
                // a custom hash of that length: hashed below
            }
        }
        return B64.decode(Secrets.hash(hash));
    }
}
