package io.github.mcpoauth.core.internal.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The compact form of same-app access tokens (issue 13): the claims of an RFC 9068 token in a short binary body,
 * MAC'd with HMAC-SHA256 under the same-app MAC key. About 180 characters where the HS256 JWT of the same claims
 * takes about 450, which every request then carries in its {@code Authorization} header and the server parses and
 * hashes. Only this application reads it, so it need not be a JWT; a verifier of another application never sees
 * one (tokens for other resources are signed JWTs).
 *
 * <p>The token is {@code base64url(body) "." base64url(mac)}: one dot, where a JWS has two. The body:
 * <pre>
 *   u8 version (1) | 6 bytes key tag | u32 iat | u32 exp (epoch seconds)
 *   | str jti | str gid | str sub | str client_id | str scope
 *   | u8 n, n × str audience | str cnf.jkt ("" when not sender-constrained)
 * </pre>
 * where {@code str} is a length (one byte below 128, else two, at most {@value #MAX_STRING} bytes) and UTF-8
 * bytes. An audience on the issuer's origin is written from its path on ({@code /mcp}), any other whole. The key
 * tag names the MAC key ({@link io.github.mcpoauth.core.internal.keys.MacKeys#tag}: the first 6 bytes of the SHA-256
 * of its {@code kid}). The MAC is
 * HMAC-SHA256 over the issuer's identifier followed by the body, so the issuer is bound without being carried; a
 * reader tries the issuers it trusts. The MAC is checked (in constant time, by Nimbus' {@code MACVerifier}) before
 * any field past the key tag is read.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2 (the claims)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104 (HMAC)</a>
 */
public final class CompactTokens {

    /** The version byte of this layout. */
    static final byte VERSION = 1;

    /** The length in bytes of a key tag in the body. */
    private static final int TAG_BYTES = 6;

    /** The length of a key tag as text (base64url of its {@value #TAG_BYTES} bytes). */
    public static final int TAG_LENGTH = 8;

    /** The claim naming the grant a token belongs to (as in the JWT form). */
    static final String GRANT_ID = "gid";

    /** The longest string field, in UTF-8 bytes. */
    static final int MAX_STRING = 16_383;

    private static final JWSHeader HS256 = new JWSHeader(JWSAlgorithm.HS256);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private CompactTokens() {
    }

    /**
     * {@code claims} (of an access token of {@code issuer}) as a compact token MAC'd by {@code signer}, the key of
     * {@code tag} ({@value #TAG_LENGTH} base64url characters); empty if a claim is missing or does not fit the layout
     * (then the caller issues a JWT).
     */
    public static Optional<String> encode(JWTClaimsSet claims, URI issuer, String tag, JWSSigner signer) {
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
            Base64URL mac = signer.sign(HS256, signingInput(issuer, bytes));
            return Optional.of(B64.encodeToString(bytes) + "." + mac);
        } catch (TooLong | ParseException | ClassCastException e) {
            return Optional.empty();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot MAC an access token", e);
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
     * The claims of compact {@code token} if its MAC verifies under the key its tag names ({@code keys}, given the
     * tag as base64url) for one of {@code issuers}, and its body is well formed; else empty. Expiry is the caller's
     * to check.
     *
     * @throws io.github.mcpoauth.core.store.StoreException if {@code keys} cannot read the key list now
     */
    public static Optional<JWTClaimsSet> decode(String token, List<URI> issuers,
            Function<String, Optional<JWSVerifier>> keys) {
        if (!isCompact(token)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        byte[] body;
        try {
            body = B64_DECODE.decode(token.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (body.length < 1 + TAG_BYTES || body[0] != VERSION) {
            return Optional.empty();
        }
        String tag = B64.encodeToString(Arrays.copyOfRange(body, 1, 1 + TAG_BYTES));
        JWSVerifier verifier = keys.apply(tag).orElse(null);
        if (verifier == null) {
            return Optional.empty();
        }
        Base64URL mac = new Base64URL(token.substring(dot + 1));
        for (URI issuer : issuers) {
            try {
                if (verifier.verify(HS256, signingInput(issuer, body), mac)) {
                    return parse(body, issuer);
                }
            } catch (JOSEException e) {
                return Optional.empty();
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

    private static byte[] signingInput(URI issuer, byte[] body) {
        byte[] iss = issuer.toString().getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[iss.length + 1 + body.length];
        System.arraycopy(iss, 0, input, 0, iss.length);
        input[iss.length] = 0; // never in a URI: "iss" + body cannot be read as another issuer's
        System.arraycopy(body, 0, input, iss.length + 1, body.length);
        return input;
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
        if (value == null) {
            throw new TooLong();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 128) {
            out.write(bytes.length);
        } else if (bytes.length <= MAX_STRING) {
            out.write(0x80 | bytes.length >>> 8);
            out.write(bytes.length & 0xFF);
        } else {
            throw new TooLong();
        }
        out.write(bytes, 0, bytes.length);
    }

    private static String string(ByteBuffer in) {
        int first = Byte.toUnsignedInt(in.get());
        int length = first < 128 ? first : (first & 0x7F) << 8 | Byte.toUnsignedInt(in.get());
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A claim missing or too long for the layout: the token is issued as a JWT instead. */
    private static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(null, null, false, false);
        }
    }
}
