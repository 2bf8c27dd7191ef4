package io.github.mcpoauth.core.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The compact same-app token layout: every claim round-trips, and anything but the exact bytes MAC'd under our key
 * for a trusted issuer is refused (never an exception).
 */
class CompactTokensTest {

    private static final URI ISSUER = URI.create("https://mcp.example.com");
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String TAG = MacKeys.tag("kid-1");

    private final byte[] secret = random(32);
    private final Function<String, Optional<JWSVerifier>> keys = tag -> Optional.ofNullable(
            TAG.equals(tag) ? verifier(secret) : null);

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static JWSVerifier verifier(byte[] secret) {
        try {
            return new MACVerifier(secret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER.toString())
                .subject("alice")
                .audience(List.of("https://mcp.example.com/mcp", "https://other.example.com/mcp"))
                .claim("client_id", "https://client.example.com/oauth/metadata.json")
                .claim("scope", "mcp:tools mcp:read")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(3600)))
                .jwtID("jti-1")
                .claim(CompactTokens.GRANT_ID, "grant-1");
    }

    private String encode(JWTClaimsSet claims) throws Exception {
        return CompactTokens.encode(claims, ISSUER, TAG, new MACSigner(secret)).orElseThrow();
    }

    private Optional<JWTClaimsSet> decode(String token) {
        return CompactTokens.decode(token, List.of(ISSUER), keys);
    }

    @Test
    void whenEncodedThenEveryClaimComesBackAndTheTokenIsShort() throws Exception {
        JWTClaimsSet sent = claims().subject("ålice ☃").claim("cnf", Map.of("jkt", "thumbprint-1")).build();

        String token = encode(sent);
        JWTClaimsSet back = decode(token).orElseThrow();

        assertThat(CompactTokens.isCompact(token)).isTrue();
        assertThat(token.length()).isLessThan(260);
        assertThat(back.getIssuer()).isEqualTo(ISSUER.toString());
        assertThat(back.getSubject()).isEqualTo("ålice ☃");
        assertThat(back.getAudience()).containsExactly("https://mcp.example.com/mcp", "https://other.example.com/mcp");
        assertThat(back.getStringClaim("client_id")).isEqualTo("https://client.example.com/oauth/metadata.json");
        assertThat(back.getStringClaim("scope")).isEqualTo("mcp:tools mcp:read");
        assertThat(back.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(back.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(3600)));
        assertThat(back.getJWTID()).isEqualTo("jti-1");
        assertThat(back.getStringClaim(CompactTokens.GRANT_ID)).isEqualTo("grant-1");
        assertThat(back.getJSONObjectClaim("cnf")).containsEntry("jkt", "thumbprint-1");
    }

    @Test
    void whenNotSenderConstrainedThenNoCnf() throws Exception {
        assertThat(decode(encode(claims().build())).orElseThrow().getClaim("cnf")).isNull();
    }

    @Test
    void whenAnyByteOfTheBodyOrMacChangesThenRefused() throws Exception {
        String token = encode(claims().build());
        int dot = token.indexOf('.');
        byte[] body = Base64.getUrlDecoder().decode(token.substring(0, dot));
        for (int i = 0; i < body.length; i++) {
            byte[] altered = body.clone();
            altered[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(altered) + token.substring(dot);
            assertThat(decode(forged)).as("body byte %d altered", i).isEmpty();
        }
        String mac = token.substring(dot + 1);
        String otherMac = (mac.charAt(0) == 'A' ? "B" : "A") + mac.substring(1);
        assertThat(decode(token.substring(0, dot + 1) + otherMac)).isEmpty();
        assertThat(decode(token.substring(0, token.length() - 2))).isEmpty(); // MAC truncated
        assertThat(decode(token.substring(0, dot) + ".")).isEmpty();
        assertThat(decode(token)).isPresent(); // the untouched token, for contrast
    }

    @Test
    void whenMacdUnderAnotherKeyOrForAnotherIssuerThenRefused() throws Exception {
        String foreign = CompactTokens.encode(claims().build(), ISSUER, TAG, new MACSigner(random(32)))
                .orElseThrow();
        String token = encode(claims().build());

        assertThat(decode(foreign)).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(URI.create("https://evil.example.com")), keys)).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(ISSUER), tag -> Optional.empty())).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(URI.create("https://evil.example.com"), ISSUER), keys))
                .hasValueSatisfying(c -> assertThat(c.getIssuer()).isEqualTo(ISSUER.toString()));
    }

    @Test
    void whenNotCompactOrGarbageThenRefusedWithoutAnException() {
        for (String garbage : List.of("", ".", "a.", ".b", "a.b.c", "AQ.AQ", "AQAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA",
                "not base64!.x", "eyJhbGciOiJIUzI1NiJ9.e30.sig", "A".repeat(5000) + "." + "B".repeat(43))) {
            assertThat(decode(garbage)).as(garbage).isEmpty();
        }
        assertThat(CompactTokens.isCompact("a.b.c")).isFalse();
    }

    @Test
    void whenAClaimIsMissingOrTooLongThenNotEncoded() throws Exception {
        MACSigner signer = new MACSigner(secret);

        assertThat(CompactTokens.encode(claims().claim(CompactTokens.GRANT_ID, null).build(), ISSUER, TAG,
                signer)).isEmpty();
        assertThat(CompactTokens.encode(claims().subject("x".repeat(CompactTokens.MAX_STRING + 1)).build(), ISSUER,
                TAG, signer)).isEmpty();
        assertThat(CompactTokens.encode(claims().subject("x".repeat(CompactTokens.MAX_STRING)).build(), ISSUER, TAG,
                signer)).isPresent();
    }
}
