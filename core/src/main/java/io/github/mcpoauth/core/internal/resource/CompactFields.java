package io.github.mcpoauth.core.internal.resource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The fields compact tokens are written in ({@link CompactTokens}): epoch seconds, lengths and strings, each read
 * back exactly as written, and the checks on base64url text that keep one spelling per token.
 *
 * <p>A {@code str} is a prefix {@code n << 1 | flag} (one byte below 128, else two with the high bit set) and
 * {@code n} bytes: with flag 0 the string's UTF-8 bytes; with flag 1 the bytes the string is the unpadded base64url
 * of (RFC 4648 §5), set for every value whose base64url decoding re-encodes to exactly that value. A {@code var}
 * is an unsigned number in 7-bit groups, low group first, the high bit set on every byte but the last.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4648#section-5">RFC 4648 §5</a>
 */
final class CompactFields {

    /** The longest string field, in UTF-8 bytes. */
    static final int MAX_STRING = 16_383;

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private CompactFields() {
    }

    /** Writes {@code instant} as unsigned 32-bit epoch seconds. */
    static void seconds(ByteArrayOutputStream out, Instant instant) throws TooLong {
        long s = instant.getEpochSecond();
        if (s < 0 || s > 0xFFFF_FFFFL) {
            throw new TooLong();
        }
        out.write((int) (s >>> 24));
        out.write((int) (s >>> 16));
        out.write((int) (s >>> 8));
        out.write((int) s);
    }

    static Instant seconds(ByteBuffer in) {
        return Instant.ofEpochSecond(Integer.toUnsignedLong(in.getInt()));
    }

    /** Writes {@code value} (0 to 2^32 - 1) as a {@code var}. */
    static void var(ByteArrayOutputStream out, long value) throws TooLong {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new TooLong();
        }
        long rest = value;
        while (rest >= 0x80) {
            out.write((int) (rest & 0x7F | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    /**
     * A {@code var}, refused ({@link IllegalArgumentException}) if it has more than five groups, a last group of
     * zero after others (another spelling of a shorter one) or a value past 2^32 - 1.
     */
    static long var(ByteBuffer in) {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            int b = Byte.toUnsignedInt(in.get());
            value |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                if (b == 0 && i > 0 || value > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("not the one spelling of a var");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("a var of more than five groups");
    }

    /** Writes {@code value} as a {@code str}. */
    static void string(ByteArrayOutputStream out, String value) throws TooLong {
        if (value == null || value.length() > MAX_STRING) { // UTF-8 takes at least a byte per char
            throw new TooLong();
        }
        byte[] raw = base64UrlBytes(value);
        byte[] bytes = raw != null ? raw : value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING) {
            throw new TooLong();
        }
        int prefix = bytes.length << 1 | (raw != null ? 1 : 0); // at most 0x7FFF
        if (prefix < 0x80) {
            out.write(prefix);
        } else {
            out.write(0x80 | prefix >>> 8);
            out.write(prefix & 0xFF);
        }
        out.write(bytes, 0, bytes.length);
    }

    static String string(ByteBuffer in) {
        int first = Byte.toUnsignedInt(in.get());
        int prefix = first < 0x80 ? first : (first & 0x7F) << 8 | Byte.toUnsignedInt(in.get());
        byte[] bytes = new byte[prefix >>> 1];
        in.get(bytes);
        return (prefix & 1) == 1 ? B64.encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The bytes {@code value} is the unpadded base64url of, if re-encoding them gives back exactly {@code value};
     * else {@code null} (not base64url, a length of no byte count, or non-zero trailing bits).
     */
    private static byte[] base64UrlBytes(String value) {
        if (value.length() % 4 == 1) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!CompactTokens.isBase64Url(value.charAt(i))) {
                return null;
            }
        }
        byte[] bytes = B64_DECODE.decode(value);
        return B64.encodeToString(bytes).equals(value) ? bytes : null;
    }

    /**
     * Whether the base64url text {@code text[from, to)} is the one spelling of its bytes: no unused bits set in its
     * last character (which Java's decoder ignores) and no length that no byte count has.
     */
    static boolean canonical(String text, int from, int to) {
        int rest = (to - from) % 4;
        if (rest == 0 || rest == 1) {
            return rest == 0;
        }
        return (sextet(text.charAt(to - 1)) & (rest == 2 ? 0x0F : 0x03)) == 0;
    }

    /** The 6-bit value of base64url character {@code c}. */
    private static int sextet(char c) {
        return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' ? 62 : 63;
    }

    /** A claim missing or too long for the layout: the token is issued as a JWT instead. */
    static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(null, null, false, false);
        }
    }
}
