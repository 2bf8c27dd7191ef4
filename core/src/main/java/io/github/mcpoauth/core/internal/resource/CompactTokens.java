package io.github.mcpoauth.core.internal.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * The compact form of same-app access tokens (issue 13): the claims of an RFC 9068 token in a short binary body,
 * MAC'd with HMAC-SHA256 under the same-app MAC key. About 135 characters where the HS256 JWT of the same claims
 * takes about 450, which every request then carries in its {@code Authorization} header and the server parses and
 * hashes. Only this application reads it, so it need not be a JWT; a verifier of another application never sees
 * one (tokens for other resources are signed JWTs).
 *
 * <p>The token is {@code base64url(body) "." base64url(mac)}: one dot, where a JWS has two. The body:
 * <pre>
 *   u8 version (2) | 6 bytes key tag | u32 iat | u32 exp (epoch seconds)
 *   | str jti | str gid | str sub | str client_id | str scope
 *   | u8 n, n × str audience | str cnf.jkt ("" when not sender-constrained)
 * </pre>
 * where {@code str} is a prefix {@code n << 1 | flag} (one byte below 128, else two with the high bit set) and
 * {@code n} bytes: with flag 0 the string's UTF-8 bytes; with flag 1 the bytes the string is the unpadded base64url
 * of (RFC 4648 §5). The encoder sets flag 1 for every value whose base64url decoding re-encodes to exactly that
 * value, so a random id takes 16 bytes where its text takes 22 ({@code jti}, {@code gid}; registered
 * {@code client_id}s and {@code cnf.jkt} likewise), and decoding returns the very string encoded; any other value
 * ({@code alice@example.com}, a metadata URL, base64url with non-zero trailing bits) is UTF-8. A string is at most
 * {@value #MAX_STRING} bytes of UTF-8 either way. An audience on the issuer's origin is written from its path on
 * ({@code /mcp}), any other whole. The key tag names the MAC key
 * ({@link io.github.mcpoauth.core.internal.keys.MacKeys#tag}: the first 6 bytes of the SHA-256 of its {@code kid}).
 *
 * <p>The MAC is the first 128 bits of HMAC-SHA256 over the issuer's identifier, a zero byte and the body, so the
 * issuer is bound without being carried; a reader tries the issuers it trusts. The reader computes the whole HMAC
 * under the key the key tag names and compares its first 16 bytes in constant time, before any field past the key
 * tag is read. A MAC that is not exactly {@value #MAC_LENGTH} characters, or either part with non-zero trailing bits
 * (another spelling of the same bytes), is refused. Half the HMAC is enough here (RFC 2104 §5 allows truncating to
 * half the output; JOSE's A128CBC-HS256 carries a 128-bit HMAC-SHA256 tag): without the key, each guess at a MAC is
 * right with probability 2^-128 whatever tokens the attacker has seen (HMAC is a PRF); each guess is a request to
 * this server, which throttles failed tokens; and a token lives minutes to an hour. It takes 22 characters where the
 * whole HMAC took 43.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2 (the claims)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104#section-5">RFC 2104 §5 (truncated HMAC)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-5.2.3">RFC 7518 §5.2.3 (A128CBC-HS256)</a>
 */
public final class CompactTokens {

    /** The version byte of this layout. */
    static final byte VERSION = 2;

    /** The length in bytes of a key tag in the body. */
    private static final int TAG_BYTES = 6;

    /** The length of a key tag as text (base64url of its {@value #TAG_BYTES} bytes). */
    public static final int TAG_LENGTH = 8;

    /** The bytes of HMAC-SHA256 a token carries: the first half. */
    static final int MAC_BYTES = 16;

    /** The length of the MAC part as text (base64url of its {@value #MAC_BYTES} bytes). */
    static final int MAC_LENGTH = 22;

    /** The claim naming the grant a token belongs to (as in the JWT form). */
    static final String GRANT_ID = "gid";

    /** The longest string field, in UTF-8 bytes. */
    static final int MAX_STRING = 16_383;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private CompactTokens() {
    }

    /**
     * {@code claims} (of an access token of {@code issuer}) as a compact token MAC'd with {@code key}, the key of
     * {@code tag} ({@value #TAG_LENGTH} base64url characters); empty if a claim is missing or does not fit the layout
     * (then the caller issues a JWT).
     */
    public static Optional<String> encode(JWTClaimsSet claims, URI issuer, String tag, HmacKey key) {
        byte[] tagBytes = B64_DECODE.decode(tag);
        if (tagBytes.length != TAG_BYTES) {
            throw new IllegalArgumentException("a key tag is " + TAG_LENGTH + " base64url characters");
        }
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(128);
            body.write(VERSION);
            body.write(tagBytes, 0, TAG_BYTES);
            seconds(body, claims.getIssueTime());
            seconds(body, claims.getExpirationTime());
            String origin = origin(issuer);
            List<String> audience = claims.getAudience();
            if (audience.size() > 255) {
                return Optional.empty();
            }
            for (String claim : new String[] {claims.getJWTID(), claims.getStringClaim(GRANT_ID),
                    claims.getSubject(), claims.getStringClaim("client_id"), claims.getStringClaim("scope")}) {
                string(body, claim);
            }
            body.write(audience.size());
            for (String aud : audience) {
                boolean here = aud.startsWith(origin) && aud.startsWith("/", origin.length());
                string(body, here ? aud.substring(origin.length()) : aud);
            }
            Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
            string(body, cnf == null ? "" : (String) cnf.get("jkt"));
            byte[] bytes = body.toByteArray();
            byte[] mac = Arrays.copyOf(hmac(key, issuer, bytes), MAC_BYTES);
            return Optional.of(B64.encodeToString(bytes) + "." + B64.encodeToString(mac));
        } catch (TooLong | ParseException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code token} has the shape of a compact token (one dot, base64url); the MAC is not checked. */
    public static boolean isCompact(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (i != dot && !isBase64Url(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} is of the base64url alphabet (RFC 4648 §5), in which both token forms are written. */
    public static boolean isBase64Url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /**
     * The key tag compact {@code token} names its MAC key by (base64url), read without checking the MAC; empty if
     * {@code token} is not a compact token of this version. For tests and diagnostics: {@link #decode} reads it too.
     */
    public static Optional<String> keyTag(String token) {
        return isCompact(token) ? body(token.substring(0, token.indexOf('.'))).map(CompactTokens::tag)
                : Optional.empty();
    }

    /** The body's bytes if {@code text} decodes to a body of this version with its key tag; else empty. */
    private static Optional<byte[]> body(String text) {
        byte[] body;
        try {
            body = B64_DECODE.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return body.length < 1 + TAG_BYTES || body[0] != VERSION ? Optional.empty() : Optional.of(body);
    }

    /** The key tag of {@code body} (its bytes 1 to {@value #TAG_BYTES}), base64url. */
    private static String tag(byte[] body) {
        return B64.encodeToString(Arrays.copyOfRange(body, 1, 1 + TAG_BYTES));
    }

    /**
     * The claims of compact {@code token} if its MAC verifies under the key its tag names ({@code keys}, given the
     * tag as base64url) for one of {@code issuers}, and its body is well formed; else empty. Expiry is the caller's
     * to check.
     *
     * @throws io.github.mcpoauth.core.store.StoreException if {@code keys} cannot read the key list now
     */
    public static Optional<JWTClaimsSet> decode(String token, List<URI> issuers,
            Function<String, Optional<HmacKey>> keys) {
        if (!isCompact(token)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (token.length() - dot - 1 != MAC_LENGTH || !canonical(token, dot + 1, token.length())
                || !canonical(token, 0, dot)) {
            return Optional.empty();
        }
        byte[] body = body(token.substring(0, dot)).orElse(null);
        if (body == null) {
            return Optional.empty();
        }
        byte[] mac = B64_DECODE.decode(token.substring(dot + 1)); // canonical base64url (checked above): decodes
        HmacKey key = keys.apply(tag(body)).orElse(null);
        if (key == null) {
            return Optional.empty();
        }
        for (URI issuer : issuers) {
            if (MessageDigest.isEqual(Arrays.copyOf(hmac(key, issuer, body), MAC_BYTES), mac)) {
                return parse(body, issuer);
            }
        }
        return Optional.empty();
    }

    private static Optional<JWTClaimsSet> parse(byte[] bytes, URI issuer) {
        ByteBuffer body = ByteBuffer.wrap(bytes);
        body.position(1 + TAG_BYTES);
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer.toString())
                    .issueTime(new Date(Integer.toUnsignedLong(body.getInt()) * 1000))
                    .expirationTime(new Date(Integer.toUnsignedLong(body.getInt()) * 1000))
                    .jwtID(string(body))
                    .claim(GRANT_ID, string(body))
                    .subject(string(body))
                    .claim("client_id", string(body))
                    .claim("scope", string(body));
            int n = Byte.toUnsignedInt(body.get());
            String origin = origin(issuer);
            List<String> audience = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String aud = string(body);
                audience.add(aud.startsWith("/") ? origin + aud : aud);
            }
            claims.audience(audience);
            String jkt = string(body);
            if (!jkt.isEmpty()) {
                claims.claim("cnf", Map.of("jkt", jkt));
            }
            return body.hasRemaining() ? Optional.empty() : Optional.of(claims.build());
        } catch (RuntimeException e) {
            return Optional.empty(); // a short or malformed body (under a valid MAC: never made by us)
        }
    }

    /** HMAC-SHA256 under {@code key} of the issuer's identifier, a zero byte and {@code body} (all 32 bytes). */
    private static byte[] hmac(HmacKey key, URI issuer, byte[] body) {
        Mac mac = key.mac();
        mac.update(issuer.toString().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0); // never in a URI: "iss" + body cannot be read as another issuer's
        mac.update(body);
        return mac.doFinal();
    }

    /**
     * Whether the base64url text {@code text[from, to)} is the one spelling of its bytes: no unused bits set in its
     * last character (which Java's decoder ignores) and no length that no byte count has.
     */
    private static boolean canonical(String text, int from, int to) {
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

    /** {@code scheme://authority} of {@code issuer}, which a same-app resource usually shares (RFC 6454 §4). */
    private static String origin(URI issuer) {
        return issuer.getScheme() + "://" + issuer.getRawAuthority();
    }

    private static void seconds(ByteArrayOutputStream out, Date date) throws TooLong {
        long s = date.getTime() / 1000;
        if (s < 0 || s > 0xFFFF_FFFFL) {
            throw new TooLong();
        }
        out.write((int) (s >>> 24));
        out.write((int) (s >>> 16));
        out.write((int) (s >>> 8));
        out.write((int) s);
    }

    private static void string(ByteArrayOutputStream out, String value) throws TooLong {
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

    /**
     * The bytes {@code value} is the unpadded base64url of, if re-encoding them gives back exactly {@code value};
     * else {@code null} (not base64url, a length of no byte count, or non-zero trailing bits).
     */
    private static byte[] base64UrlBytes(String value) {
        if (value.length() % 4 == 1) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isBase64Url(value.charAt(i))) {
                return null;
            }
        }
        byte[] bytes = B64_DECODE.decode(value);
        return B64.encodeToString(bytes).equals(value) ? bytes : null;
    }

    private static String string(ByteBuffer in) {
        int first = Byte.toUnsignedInt(in.get());
        int prefix = first < 0x80 ? first : (first & 0x7F) << 8 | Byte.toUnsignedInt(in.get());
        byte[] bytes = new byte[prefix >>> 1];
        in.get(bytes);
        return (prefix & 1) == 1 ? B64.encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A claim missing or too long for the layout: the token is issued as a JWT instead. */
    private static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(null, null, false, false);
        }
    }
}
