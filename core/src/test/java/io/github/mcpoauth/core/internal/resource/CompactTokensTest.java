package io.github.mcpoauth.core.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

/**
 * The compact same-app token layout of version 2, which carries every claim (issued before the reference form,
 * {@link ReferenceTokensTest}, and verified until it expires): every claim round-trips, and anything but the exact
 * bytes MAC'd under our key for a trusted issuer is refused (never an exception).
 */
class CompactTokensTest {

    private static final URI ISSUER = URI.create("https://mcp.example.com");
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String TAG = MacKeys.tag("kid-1");
    /** A version-2 token carries every claim: its grant is never read. */
    private static final Function<String, Optional<GrantClaims>> NO_GRANTS = gid -> {
        throw new AssertionError("a version-2 token read its grant");
    };

    private final HmacKey key = new HmacKey(random(32));
    private final Function<String, Optional<HmacKey>> keys = tag -> Optional.ofNullable(TAG.equals(tag) ? key : null);

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
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

    private String encode(JWTClaimsSet claims) {
        return CompactTokens.encode(claims, ISSUER, TAG, key).orElseThrow();
    }

    private Optional<JWTClaimsSet> decode(String token) {
        return CompactTokens.decode(token, List.of(ISSUER), keys, NO_GRANTS);
    }

    @Test
    void whenEncodedThenEveryClaimComesBackAndTheTokenIsShort() throws Exception {
        JWTClaimsSet sent = claims().subject("ålice ☃").claim("cnf", Map.of("jkt", "thumbprint-1")).build();

        String token = encode(sent);
        JWTClaimsSet back = decode(token).orElseThrow();

        assertThat(CompactTokens.isCompact(token)).isTrue();
        assertThat(token.length()).isLessThan(240);
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
    void whenAskedForTheKeyTagThenItIsTheOneEncodedAndNoneOfAnythingElse() throws Exception {
        assertThat(CompactTokens.keyTag(encode(claims().build()))).contains(TAG);
        assertThat(CompactTokens.keyTag("a.b.c")).isEmpty();
        assertThat(CompactTokens.keyTag("AQID.AQID")).isEmpty(); // too short for a tag
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
        String foreign = CompactTokens.encode(claims().build(), ISSUER, TAG, new HmacKey(random(32))).orElseThrow();
        String token = encode(claims().build());

        assertThat(decode(foreign)).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(URI.create("https://evil.example.com")), keys, NO_GRANTS))
                .isEmpty();
        assertThat(CompactTokens.decode(token, List.of(ISSUER), tag -> Optional.empty(), NO_GRANTS)).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(URI.create("https://evil.example.com"), ISSUER), keys,
                NO_GRANTS))
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
    void whenAClaimIsMissingOrTooLongThenNotEncoded() {
        assertThat(CompactTokens.encode(claims().claim(CompactTokens.GRANT_ID, null).build(), ISSUER, TAG, key))
                .isEmpty();
        for (String x : List.of("A", "é")) { // base64url (stored in 3/4 of the bytes) or UTF-8: the same bound
            String longest = x.repeat(CompactFields.MAX_STRING / x.getBytes(StandardCharsets.UTF_8).length);
            assertThat(CompactTokens.encode(claims().subject(longest + x).build(), ISSUER, TAG, key)).isEmpty();
            String token = CompactTokens.encode(claims().subject(longest).build(), ISSUER, TAG, key).orElseThrow();
            assertThat(decode(token).orElseThrow().getSubject()).isEqualTo(longest);
        }
    }

    /** The claims the token endpoint issues for a same-app resource: random 16-byte ids, one audience, no DPoP. */
    private static JWTClaimsSet.Builder typical(String clientId) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER.toString())
                .subject("alice")
                .audience(List.of("https://mcp.example.com/mcp"))
                .claim("client_id", clientId)
                .claim("scope", "mcp")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .jwtID(id(16))
                .claim(CompactTokens.GRANT_ID, id(16));
    }

    private static String id(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes));
    }

    private static int bodyBytes(String token) {
        return Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))).length;
    }

    /** The whole HMAC-SHA256 of a token body for {@link #ISSUER}: what the truncated MAC is the first half of. */
    private byte[] fullMac(byte[] body) {
        Mac mac = key.mac();
        mac.update(ISSUER.toString().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(body);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void whenTheTokenEndpointsTypicalClaimsAreEncodedThenTheTokenIsAtMost140Characters() {
        String typical = encode(typical(id(16)).build());
        String registered = encode(typical(id(18)).build()); // a client_id from dynamic registration: 24 characters
        String bound = encode(typical(id(16)).claim("cnf", Map.of("jkt", id(32))).build());

        String lengths = "typical " + typical.length() + ", registered client " + registered.length() + ", DPoP-bound "
                + bound.length() + " characters";
        assertThat(typical.length()).as(lengths).isLessThanOrEqualTo(140);
        assertThat(registered.length()).as(lengths).isLessThanOrEqualTo(140);
        assertThat(decode(bound)).as(lengths).isPresent();
        System.out.println("compact token lengths: " + lengths);
    }

    @Test
    void whenStringsOfEveryShapeAreEncodedThenEachComesBackExactly() throws Exception {
        List<String> values = List.of("alice", "alice@example.com", "ålice ☃", "😀 emoji", "a b", "x.y", "AA==", "A",
                "AB", "AAB", "mcp", "Zg", "Zm8", "Zm9v", id(1), id(2), id(15), id(16), id(16) + "B", id(18), id(32),
                id(16).substring(0, 21) + "B", "-_-_", "https://client.example.com/oauth/metadata.json");
        for (String v : values) {
            JWTClaimsSet sent = claims().jwtID(v).claim(CompactTokens.GRANT_ID, v).subject(v).claim("client_id", v)
                    .claim("scope", v).audience(List.of(v, "https://mcp.example.com/mcp"))
                    .claim("cnf", Map.of("jkt", v)).build();

            JWTClaimsSet back = decode(encode(sent)).orElseThrow();

            assertThat(back.getJWTID()).as(v).isEqualTo(v);
            assertThat(back.getStringClaim(CompactTokens.GRANT_ID)).as(v).isEqualTo(v);
            assertThat(back.getSubject()).as(v).isEqualTo(v);
            assertThat(back.getStringClaim("client_id")).as(v).isEqualTo(v);
            assertThat(back.getStringClaim("scope")).as(v).isEqualTo(v);
            assertThat(back.getAudience()).as(v).containsExactly(v, "https://mcp.example.com/mcp");
            assertThat(back.getJSONObjectClaim("cnf")).as(v).containsEntry("jkt", v);
        }
    }

    @Test
    void whenAStringIsCanonicalBase64UrlThenItTakesItsDecodedBytesElseItsUtf8() {
        String id = id(16); // 22 characters, the last with 4 unused bits, all zero
        String notBase64 = id.substring(0, 21) + "@";
        String trailingBits = id.substring(0, 21) + "B"; // a set unused bit: decodes to id's bytes, so not id
        int asBytes = bodyBytes(encode(claims().jwtID(id).build()));

        assertThat(bodyBytes(encode(claims().jwtID(notBase64).build()))).isEqualTo(asBytes + 6);
        assertThat(bodyBytes(encode(claims().jwtID(trailingBits).build()))).isEqualTo(asBytes + 6);
        assertThat(bodyBytes(encode(claims().jwtID("AA").build()))).isEqualTo(bodyBytes(encode(claims().jwtID("AB")
                .build())) - 1); // "AB" decodes to the byte "AA" spells: not round-tripping, so UTF-8
        assertThat(bodyBytes(encode(claims().jwtID("AAA").build()))).isEqualTo(bodyBytes(encode(claims().jwtID("AAB")
                .build())) - 1);
        assertThat(decode(encode(claims().jwtID(trailingBits).build())).orElseThrow().getJWTID())
                .isEqualTo(trailingBits);
    }

    /** Every token that differs from {@code token} in one base64url character is refused by {@code decode}. */
    static void assertEverySingleCharacterChangeRefused(String token, Function<String, Optional<?>> decode) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            for (char c : alphabet.toCharArray()) {
                if (c != token.charAt(i)) {
                    String forged = token.substring(0, i) + c + token.substring(i + 1);
                    assertThat(decode.apply(forged)).as("character %d changed to %s", i, c).isEmpty();
                }
            }
        }
    }

    @Test
    void whenAnySingleCharacterOfTheTokenChangesThenRefused() {
        String token = encode(claims().build());

        assertEverySingleCharacterChangeRefused(token, this::decode);
        assertThat(token.length() - token.indexOf('.') - 1).isEqualTo(CompactTokens.MAC_LENGTH);
        assertThat(decode(token)).isPresent();
    }

    @Test
    void whenTheMacIsTheWholeHmacOrOfAnyOtherLengthThenRefused() {
        String token = encode(claims().build());
        String body = token.substring(0, token.indexOf('.'));
        byte[] full = fullMac(Base64.getUrlDecoder().decode(body));

        assertThat(token).isEqualTo(body + "." + b64(Arrays.copyOf(full, 16))); // the first half, nothing else
        assertThat(decode(body + "." + b64(full))).isEmpty(); // 43 characters, as version 1 carried
        for (int bytes : new int[] {15, 17, 20, 24, 31}) {
            assertThat(decode(body + "." + b64(Arrays.copyOf(full, bytes)))).as("%d bytes", bytes).isEmpty();
        }
        assertThat(decode(token + "A")).isEmpty();
    }

    @Test
    void whenTheBodyIsOfVersion1ThenRefusedWhateverItsMac() {
        String token = encode(claims().build());
        byte[] body = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
        body[0] = 1;
        byte[] full = fullMac(body);

        assertThat(decode(b64(body) + "." + b64(Arrays.copyOf(full, 16)))).isEmpty();
        assertThat(decode(b64(body) + "." + b64(full))).isEmpty();
    }
}
