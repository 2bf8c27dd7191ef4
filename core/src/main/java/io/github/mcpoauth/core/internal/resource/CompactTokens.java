package io.github.mcpoauth.core.internal.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * The compact forms of same-app access tokens (issue 13): MAC'd with HMAC-SHA256 under the same-app MAC key, short
 * where the HS256 JWT of the same claims takes about 450 characters, which every request then carries in its
 * {@code Authorization} header and the server parses and hashes. Only this application reads them, so they need
 * not be JWTs; a verifier of another application never sees one (tokens for other resources are signed JWTs).
 *
 * <p>A token is {@code base64url(body) "." base64url(mac)}: one dot, where a JWS has two. Two bodies, told apart by
 * their version byte (in {@link CompactFields}' {@code str}, {@code var} and 32-bit epoch seconds):
 * <pre>
 *   version 3, the reference form (what the server issues), about 70 characters:
 *   u8 3 | 6 bytes key tag | u32 iat | 3 bytes salt | var lifetime (exp - iat, seconds) | str gid | u8 flags
 *   | [flags &amp; 1] str scope | [flags &amp; 2] u8 n, n × str audience | [flags &amp; 4] str cnf.jkt
 *
 *   version 2, every claim carried (issued before version 3; verified until it expires), about 135 characters:
 *   u8 2 | 6 bytes key tag | u32 iat | u32 exp | str jti | str gid | str sub | str client_id | str scope
 *   | u8 n, n × str audience | str cnf.jkt ("" when not sender-constrained)
 * </pre>
 * A reference token leaves to its grant ({@link GrantClaims}, which the reader is given by the grant id) the claims
 * every token of the grant shares: {@code sub}, {@code client_id}, and the scopes and audience unless the token's
 * differ (a narrower refresh, RFC 6749 §6; a {@code resource} parameter, RFC 8707), which the flags then carry. Its
 * {@code jti} is the base64url of its MAC: unique to its bytes, carried in none of them; the salt (the first 3 bytes of
 * the SHA-256 of the {@code jti} it was issued with, a random id) keeps two tokens issued alike in one second (two
 * refreshes) apart. A grant is never changed but
 * to be revoked, so what it holds is what it held when the token was issued. Any other flag bit, or any byte left
 * over, refuses the token. An audience on the issuer's origin is written from its path on ({@code /mcp}), any other
 * whole. The key tag names the MAC key ({@link io.github.mcpoauth.core.internal.keys.MacKeys#tag}: the first 6
 * bytes of the SHA-256 of its {@code kid}).
 *
 * <p>The MAC is the first 128 bits of HMAC-SHA256 over the issuer's identifier, a zero byte and the body, so the
 * issuer is bound without being carried; a reader tries the issuers it trusts. The reader computes the whole HMAC
 * under the key the key tag names and compares its first 16 bytes in constant time, before any field past the key
 * tag is read, and asks for the grant only then. A MAC that is not exactly {@value #MAC_LENGTH} characters, or
 * either part with non-zero trailing bits (another spelling of the same bytes), is refused. Half the HMAC is enough
 * here (RFC 2104 §5 allows truncating to half the output; JOSE's A128CBC-HS256 carries a 128-bit HMAC-SHA256 tag):
 * without the key, each guess at a MAC is right with probability 2^-128 whatever tokens the attacker has seen (HMAC
 * is a PRF); each guess is a request to this server, which throttles failed tokens; and a token lives minutes to an
 * hour.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2 (the claims)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104#section-5">RFC 2104 §5 (truncated HMAC)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-5.2.3">RFC 7518 §5.2.3 (A128CBC-HS256)</a>
 */
public final class CompactTokens {


    /** The version byte of the layout that carries every claim (issued before {@link #REFERENCE}). */
    static final byte VERSION = 2;

    /** The version byte of the reference layout, which leaves to the grant what it holds. */
    static final byte REFERENCE = 3;

    /** The length in bytes of a key tag in the body. */
    private static final int TAG_BYTES = 6;

    /** The length in bytes of a reference token's salt: the first bytes of the SHA-256 of its issued {@code jti}. */
    private static final int SALT_BYTES = 3;

    /** The length of a key tag as text (base64url of its {@value #TAG_BYTES} bytes). */
    public static final int TAG_LENGTH = 8;

    /** The bytes of HMAC-SHA256 a token carries: the first half. */
    static final int MAC_BYTES = 16;

    /** The length of the MAC part as text (base64url of its {@value #MAC_BYTES} bytes). */
    static final int MAC_LENGTH = 22;

    /** The claim naming the grant a token belongs to (as in the JWT form). */
    static final String GRANT_ID = "gid";

    /** Reference flags: the token's scope, audience and {@code cnf.jkt} follow; no other bit is ever set. */
    private static final int SCOPE = 1;
    private static final int AUDIENCE = 2;
    private static final int JKT = 4;

    private CompactTokens() {
    }

    /**
     * {@code claims} (of an access token of {@code issuer}) as a version-2 compact token, every claim carried, MAC'd
     * with {@code key}, the key of {@code tag} ({@value #TAG_LENGTH} base64url characters); empty if a claim is
     * missing or does not fit the layout. The server issues {@linkplain #encode(JWTClaimsSet, GrantClaims, URI,
     * String, HmacKey) reference tokens}; this form is read back for the tokens issued before them.
     */
    public static Optional<String> encode(JWTClaimsSet claims, URI issuer, String tag, HmacKey key) {
        try {
            ByteArrayOutputStream body = start(VERSION, tag, claims);
            CompactFields.seconds(body, instant(claims.getExpirationTime()));
            for (String claim : new String[] {claims.getJWTID(), claims.getStringClaim(GRANT_ID),
                    claims.getSubject(), claims.getStringClaim("client_id"), claims.getStringClaim("scope")}) {
                CompactFields.string(body, claim);
            }
            audience(body, claims.getAudience(), origin(issuer));
            Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
            CompactFields.string(body, cnf == null ? "" : (String) cnf.get("jkt"));
            return Optional.of(sealed(body, issuer, key));
        } catch (CompactFields.TooLong | ParseException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code claims} (of an access token of {@code issuer}, of the grant its {@code gid} names, which holds
     * {@code grant}) as a reference token: the grant's id, the token's times, and of its scope, audience and
     * {@code cnf.jkt} only what differs from the grant's. Its {@code jti} is not carried: a reader makes it of the
     * MAC. Empty if a claim is missing, does not fit the layout, or {@code sub} or {@code client_id} is not the
     * grant's (then the caller issues a JWT).
     */
    public static Optional<String> encode(JWTClaimsSet claims, GrantClaims grant, URI issuer, String tag,
            HmacKey key) {
        try {
            if (!grant.subject().equals(claims.getSubject())
                    || !grant.clientId().equals(claims.getStringClaim("client_id"))) {
                return Optional.empty();
            }
            ByteArrayOutputStream body = start(REFERENCE, tag, claims);
            if (claims.getJWTID() == null) {
                throw new CompactFields.TooLong();
            }
            body.write(Secrets.digest(claims.getJWTID()), 0, SALT_BYTES);
            CompactFields.var(body, instant(claims.getExpirationTime()).getEpochSecond()
                    - instant(claims.getIssueTime()).getEpochSecond());
            CompactFields.string(body, claims.getStringClaim(GRANT_ID));
            String scope = claims.getStringClaim("scope");
            boolean ownScope = scope == null || !ScopeClaim.parse(scope).equals(grant.scopes());
            boolean ownAudience = !claims.getAudience().equals(grant.resources());
            Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
            body.write((ownScope ? SCOPE : 0) | (ownAudience ? AUDIENCE : 0) | (cnf != null ? JKT : 0));
            if (ownScope) {
                CompactFields.string(body, scope);
            }
            if (ownAudience) {
                audience(body, claims.getAudience(), origin(issuer));
            }
            if (cnf != null) {
                CompactFields.string(body, (String) cnf.get("jkt"));
            }
            return Optional.of(sealed(body, issuer, key));
        } catch (CompactFields.TooLong | ParseException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** {@code date} as an instant; a missing claim does not fit the layout. */
    private static Instant instant(Date date) throws CompactFields.TooLong {
        if (date == null) {
            throw new CompactFields.TooLong();
        }
        return date.toInstant();
    }

    /** A body of {@code version} begun: the version, the key tag, {@code iat}. */
    private static ByteArrayOutputStream start(byte version, String tag, JWTClaimsSet claims)
            throws CompactFields.TooLong {
        byte[] tagBytes = CompactFields.B64_DECODE.decode(tag);
        if (tagBytes.length != TAG_BYTES) {
            throw new IllegalArgumentException("a key tag is " + TAG_LENGTH + " base64url characters");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        body.write(version);
        body.write(tagBytes, 0, TAG_BYTES);
        CompactFields.seconds(body, instant(claims.getIssueTime()));
        return body;
    }

    /** {@code body} and its MAC, as the token's text. */
    private static String sealed(ByteArrayOutputStream body, URI issuer, HmacKey key) {
        byte[] bytes = body.toByteArray();
        byte[] mac = Arrays.copyOf(hmac(key, issuer, bytes), MAC_BYTES);
        return CompactFields.B64.encodeToString(bytes) + "." + CompactFields.B64.encodeToString(mac);
    }

    private static void audience(ByteArrayOutputStream body, List<String> audience, String origin)
            throws CompactFields.TooLong {
        if (audience.size() > 255) {
            throw new CompactFields.TooLong();
        }
        body.write(audience.size());
        for (String aud : audience) {
            boolean here = aud.startsWith(origin) && aud.startsWith("/", origin.length());
            CompactFields.string(body, here ? aud.substring(origin.length()) : aud);
        }
    }

    private static List<String> audience(ByteBuffer body, String origin) {
        int n = Byte.toUnsignedInt(body.get());
        List<String> audience = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String aud = CompactFields.string(body);
            audience.add(aud.startsWith("/") ? origin + aud : aud);
        }
        return audience;
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
     * {@code token} is not a compact token of a known version. For tests and diagnostics: {@link #decode} reads it
     * too.
     */
    public static Optional<String> keyTag(String token) {
        return isCompact(token) ? body(token.substring(0, token.indexOf('.'))).map(CompactTokens::tag)
                : Optional.empty();
    }

    /** The body's bytes if {@code text} decodes to a body of a known version with its key tag; else empty. */
    private static Optional<byte[]> body(String text) {
        byte[] body;
        try {
            body = CompactFields.B64_DECODE.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return body.length < 1 + TAG_BYTES || body[0] != VERSION && body[0] != REFERENCE ? Optional.empty()
                : Optional.of(body);
    }

    /** The key tag of {@code body} (its bytes 1 to {@value #TAG_BYTES}), base64url. */
    private static String tag(byte[] body) {
        return CompactFields.B64.encodeToString(Arrays.copyOfRange(body, 1, 1 + TAG_BYTES));
    }

    /**
     * The claims of compact {@code token} if its MAC verifies under the key its tag names ({@code keys}, given the
     * tag as base64url) for one of {@code issuers}, its body is well formed and, for a reference token, its grant is
     * known to {@code grants} (revoked or not: that is the revocation check's to say); else empty. Expiry is the
     * caller's to check.
     *
     * @throws RuntimeException what {@code keys} or {@code grants} throw when they cannot answer now (a
     *     {@link io.github.mcpoauth.core.store.StoreException}), never for a malformed token
     */
    public static Optional<JWTClaimsSet> decode(String token, List<URI> issuers,
            Function<String, Optional<HmacKey>> keys, Function<String, Optional<GrantClaims>> grants) {
        if (!isCompact(token)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (token.length() - dot - 1 != MAC_LENGTH || !CompactFields.canonical(token, dot + 1, token.length())
                || !CompactFields.canonical(token, 0, dot)) {
            return Optional.empty();
        }
        byte[] body = body(token.substring(0, dot)).orElse(null);
        if (body == null) {
            return Optional.empty();
        }
        byte[] mac = CompactFields.B64_DECODE.decode(token.substring(dot + 1)); // canonical (checked above)
        HmacKey key = keys.apply(tag(body)).orElse(null);
        if (key == null) {
            return Optional.empty();
        }
        for (URI issuer : issuers) {
            if (MessageDigest.isEqual(Arrays.copyOf(hmac(key, issuer, body), MAC_BYTES), mac)) {
                if (body[0] == VERSION) {
                    return parse(body, issuer);
                }
                return Reference.parse(body, issuer).flatMap(r -> r.claims(token.substring(dot + 1), grants));
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
                    .issueTime(Date.from(CompactFields.seconds(body)))
                    .expirationTime(Date.from(CompactFields.seconds(body)))
                    .jwtID(CompactFields.string(body))
                    .claim(GRANT_ID, CompactFields.string(body))
                    .subject(CompactFields.string(body))
                    .claim("client_id", CompactFields.string(body))
                    .claim("scope", CompactFields.string(body));
            claims.audience(audience(body, origin(issuer)));
            String jkt = CompactFields.string(body);
            if (!jkt.isEmpty()) {
                claims.claim("cnf", Map.of("jkt", jkt));
            }
            return body.hasRemaining() ? Optional.empty() : Optional.of(claims.build());
        } catch (RuntimeException e) {
            return Optional.empty(); // a short or malformed body (under a valid MAC: never made by us)
        }
    }

    /**
     * A reference body, read: what the token carries of its claims, {@code null} where the grant's hold.
     */
    private record Reference(URI issuer, Instant issuedAt, Instant expiresAt, String grantId, String scope,
            List<String> audience, String jkt) {

        static Optional<Reference> parse(byte[] bytes, URI issuer) {
            ByteBuffer body = ByteBuffer.wrap(bytes);
            body.position(1 + TAG_BYTES);
            try {
                Instant iat = CompactFields.seconds(body);
                body.position(body.position() + SALT_BYTES);
                Instant exp = iat.plusSeconds(CompactFields.var(body));
                String grantId = CompactFields.string(body);
                int flags = Byte.toUnsignedInt(body.get());
                if ((flags & ~(SCOPE | AUDIENCE | JKT)) != 0) {
                    return Optional.empty();
                }
                String scope = (flags & SCOPE) != 0 ? CompactFields.string(body) : null;
                List<String> audience = (flags & AUDIENCE) != 0 ? CompactTokens.audience(body, origin(issuer)) : null;
                String jkt = (flags & JKT) != 0 ? CompactFields.string(body) : null;
                return body.hasRemaining() ? Optional.empty()
                        : Optional.of(new Reference(issuer, iat, exp, grantId, scope, audience, jkt));
            } catch (RuntimeException e) {
                return Optional.empty(); // a short or malformed body (under a valid MAC: never made by us)
            }
        }

        /** The token's claims, what it does not carry read from its grant ({@code grants}); empty if unknown. */
        Optional<JWTClaimsSet> claims(String mac, Function<String, Optional<GrantClaims>> grants) {
            return grants.apply(grantId).map(grant -> {
                JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                        .issuer(issuer.toString())
                        .subject(grant.subject())
                        .audience(audience != null ? audience : grant.resources())
                        .claim("client_id", grant.clientId())
                        .claim("scope", scope != null ? scope : String.join(" ", grant.scopes()))
                        .issueTime(Date.from(issuedAt))
                        .expirationTime(Date.from(expiresAt))
                        .jwtID(mac)
                        .claim(GRANT_ID, grantId);
                if (jkt != null) {
                    claims.claim("cnf", Map.of("jkt", jkt));
                }
                return claims.build();
            });
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

    /** {@code scheme://authority} of {@code issuer}, which a same-app resource usually shares (RFC 6454 §4). */
    private static String origin(URI issuer) {
        return issuer.getScheme() + "://" + issuer.getRawAuthority();
    }
}
