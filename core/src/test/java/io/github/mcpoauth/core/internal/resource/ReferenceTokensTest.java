package io.github.mcpoauth.core.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

/**
 * The compact reference token (version 3), which the server issues for same-app resources: it carries its grant's
 * id, its times and only what differs from its grant; the rest comes back from the grant, read only once the MAC
 * verified, and anything but the exact bytes MAC'd under our key for a trusted issuer, of a known grant, is refused.
 */
class ReferenceTokensTest {

    private static final URI ISSUER = URI.create("https://mcp.example.com");
    private static final String RESOURCE = "https://mcp.example.com/mcp";
    private static final String OTHER = "https://other.example.com/mcp";
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String TAG = MacKeys.tag("kid-1");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final HmacKey key = new HmacKey(random(32));
    private final Function<String, Optional<HmacKey>> keys = tag -> Optional.ofNullable(TAG.equals(tag) ? key : null);
    private final String grantId = id(16);
    private final GrantClaims grant = new GrantClaims("alice", id(18), Set.of("mcp:read", "mcp:tools"),
            List.of(RESOURCE, OTHER));
    private final Map<String, GrantClaims> grants = new HashMap<>(Map.of(grantId, grant));
    private final List<String> grantsRead = new ArrayList<>();

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String id(int bytes) {
        return B64.encodeToString(random(bytes));
    }

    /** The claims the token endpoint issues for {@link #grant}: its scopes and resources, no DPoP. */
    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER.toString())
                .subject(grant.subject())
                .audience(grant.resources())
                .claim("client_id", grant.clientId())
                .claim("scope", "mcp:tools mcp:read")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .jwtID(id(16))
                .claim(CompactTokens.GRANT_ID, grantId);
    }

    private String encode(JWTClaimsSet claims) {
        return CompactTokens.encode(claims, grant, ISSUER, TAG, key).orElseThrow();
    }

    private Optional<JWTClaimsSet> decode(String token) {
        return CompactTokens.decode(token, List.of(ISSUER), keys, gid -> {
            grantsRead.add(gid);
            return Optional.ofNullable(grants.get(gid));
        });
    }

    private static byte[] body(String token) {
        return Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
    }

    /** {@code body} under a valid MAC of our key for {@link #ISSUER}: what only a holder of the key could make. */
    private String sealed(byte[] body) {
        Mac mac = key.mac();
        mac.update(ISSUER.toString().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return B64.encodeToString(body) + "." + B64.encodeToString(Arrays.copyOf(mac.doFinal(body), 16));
    }

    @Test
    void whenEncodedThenTheGrantsClaimsComeBackAndTheTokenIsShort() throws Exception {
        String token = encode(claims().build());
        JWTClaimsSet back = decode(token).orElseThrow();

        assertThat(CompactTokens.isCompact(token)).isTrue();
        assertThat(token.length()).as(token).isLessThanOrEqualTo(70);
        assertThat(body(token)[0]).isEqualTo(CompactTokens.REFERENCE);
        assertThat(back.getIssuer()).isEqualTo(ISSUER.toString());
        assertThat(back.getSubject()).isEqualTo("alice");
        assertThat(back.getStringClaim("client_id")).isEqualTo(grant.clientId());
        assertThat(back.getAudience()).containsExactly(RESOURCE, OTHER);
        assertThat(Set.of(back.getStringClaim("scope").split(" "))).isEqualTo(grant.scopes());
        assertThat(back.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(back.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofHours(1))));
        assertThat(back.getStringClaim(CompactTokens.GRANT_ID)).isEqualTo(grantId);
        assertThat(back.getClaim("cnf")).isNull();
        assertThat(grantsRead).containsExactly(grantId);
        System.out.println("reference token: " + token.length() + " characters");
    }

    @Test
    void whenScopeAudienceOrKeyDifferFromTheGrantThenTheTokenCarriesThem() throws Exception {
        String jkt = id(32);
        String narrowed = encode(claims().claim("scope", "mcp:read").audience(List.of(OTHER))
                .claim("cnf", Map.of("jkt", jkt)).build());
        String empty = encode(claims().claim("scope", "").build());
        String reordered = encode(claims().audience(List.of(OTHER, RESOURCE)).build());

        JWTClaimsSet back = decode(narrowed).orElseThrow();
        assertThat(back.getStringClaim("scope")).isEqualTo("mcp:read");
        assertThat(back.getAudience()).containsExactly(OTHER);
        assertThat(back.getJSONObjectClaim("cnf")).containsEntry("jkt", jkt);
        assertThat(decode(empty).orElseThrow().getStringClaim("scope")).isEmpty();
        assertThat(decode(reordered).orElseThrow().getAudience()).containsExactly(OTHER, RESOURCE);
        assertThat(narrowed.length()).isGreaterThan(encode(claims().build()).length() + 43); // the jkt's 32 bytes
    }

    @Test
    void whenTheScopeClaimSpellsTheGrantsScopesWithTwoSpacesThenTheyAreNotCarried() throws Exception {
        String spaced = encode(claims().claim("scope", "mcp:tools  mcp:read").build());

        assertThat(spaced).hasSameSizeAs(encode(claims().build()));
        assertThat(ScopeClaim.parse(decode(spaced).orElseThrow().getStringClaim("scope")))
                .containsExactlyInAnyOrder("mcp:read", "mcp:tools");
    }

    @Test
    void whenTheJtiIsReadThenItIsTheMacAndNoneOfTheIssuedOne() throws Exception {
        JWTClaimsSet sent = claims().build();
        String token = encode(sent);
        String later = encode(claims().issueTime(Date.from(NOW.plusSeconds(1))).build());

        String jti = decode(token).orElseThrow().getJWTID();
        assertThat(jti).isEqualTo(token.substring(token.indexOf('.') + 1)).isNotEqualTo(sent.getJWTID());
        assertThat(decode(later).orElseThrow().getJWTID()).isNotEqualTo(jti);
    }

    @Test
    void whenTwoTokensAreIssuedAlikeInOneSecondThenTheyDiffer() throws Exception {
        String first = encode(claims().build());
        String second = encode(claims().build()); // another random jti, as the token endpoint issues

        assertThat(second).isNotEqualTo(first);
        assertThat(decode(second).orElseThrow().getJWTID()).isNotEqualTo(decode(first).orElseThrow().getJWTID());
    }

    @Test
    void whenTheGrantIsUnknownThenRefused() {
        String token = encode(claims().build());
        grants.clear();

        assertThat(decode(token)).isEmpty();
        assertThat(grantsRead).containsExactly(grantId);
    }

    @Test
    void whenTheGrantCannotBeReadNowThenTheFailureIsThrownNotARefusal() {
        String token = encode(claims().build());

        assertThatThrownBy(() -> CompactTokens.decode(token, List.of(ISSUER), keys, gid -> {
            throw StoreException.unavailable("database down", null);
        })).isInstanceOf(StoreException.class);
    }

    @Test
    void whenSubjectOrClientIsNotTheGrantsThenNotEncoded() {
        assertThat(CompactTokens.encode(claims().subject("mallory").build(), grant, ISSUER, TAG, key)).isEmpty();
        assertThat(CompactTokens.encode(claims().claim("client_id", "other").build(), grant, ISSUER, TAG, key))
                .isEmpty();
        assertThat(CompactTokens.encode(claims().claim(CompactTokens.GRANT_ID, null).build(), grant, ISSUER, TAG,
                key)).isEmpty();
    }

    @Test
    void whenAnyByteOfTheBodyChangesThenRefusedBeforeTheGrantIsRead() {
        String token = encode(claims().claim("scope", "mcp:read").claim("cnf", Map.of("jkt", id(32))).build());
        byte[] body = body(token);
        for (int i = 0; i < body.length; i++) {
            byte[] altered = body.clone();
            altered[i] ^= 0x01;
            assertThat(decode(B64.encodeToString(altered) + token.substring(token.indexOf('.'))))
                    .as("body byte %d altered", i).isEmpty();
        }
        assertThat(grantsRead).isEmpty();
        assertThat(decode(token)).isPresent(); // the untouched token, for contrast
    }

    @Test
    void whenAnySingleCharacterOfTheTokenChangesThenRefused() {
        String token = encode(claims().build());

        CompactTokensTest.assertEverySingleCharacterChangeRefused(token, this::decode);
        assertThat(grantsRead).isEmpty();
        assertThat(decode(token)).isPresent();
    }

    @Test
    void whenMacdUnderAnotherKeyOrForAnotherIssuerThenRefused() {
        String foreign = CompactTokens.encode(claims().build(), grant, ISSUER, TAG, new HmacKey(random(32)))
                .orElseThrow();
        String token = encode(claims().build());

        assertThat(decode(foreign)).isEmpty();
        assertThat(CompactTokens.decode(token, List.of(URI.create("https://evil.example.com")), keys,
                gid -> Optional.of(grant))).isEmpty();
    }

    /**
     * A body this server never makes, under a valid MAC: what a bug or a leaked key could produce. The layout's
     * one spelling still refuses it rather than reading something else.
     */
    @Test
    void whenABodyUnderAValidMacHasAnUnknownFlagALongVarOrBytesLeftOverThenRefused() throws Exception {
        byte[] good = body(encode(claims().build()));
        assertThat(decode(sealed(good))).isPresent();

        int flags = good.length - 1; // the flags byte ends a token that carries nothing of its own
        for (int bit = 3; bit < 8; bit++) {
            byte[] flagged = good.clone();
            flagged[flags] = (byte) (1 << bit);
            assertThat(decode(sealed(flagged))).as("flag bit %d", bit).isEmpty();
        }
        assertThat(decode(sealed(Arrays.copyOf(good, good.length + 1)))).isEmpty(); // a byte left over
        assertThat(decode(sealed(Arrays.copyOf(good, good.length - 1)))).isEmpty(); // flags missing

        ByteArrayOutputStream padded = new ByteArrayOutputStream(); // the lifetime 3600 as three groups, not two
        padded.write(good, 0, 14); // version, key tag, iat, salt
        padded.write(new byte[] {(byte) (3600 & 0x7F | 0x80), (byte) (3600 >>> 7 | 0x80), 0});
        padded.write(good, 16, good.length - 16);
        assertThat(decode(sealed(padded.toByteArray()))).isEmpty();
    }

    @Test
    void whenAVarIsWrittenThenItReadsBackInItsOneSpelling() throws Exception {
        for (long value : new long[] {0, 1, 127, 128, 3600, 86_400, 0xFFFF_FFFFL}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompactFields.var(out, value);
            assertThat(CompactFields.var(java.nio.ByteBuffer.wrap(out.toByteArray()))).isEqualTo(value);
        }
        assertThatThrownBy(() -> CompactFields.var(new ByteArrayOutputStream(), 0x1_0000_0000L))
                .isInstanceOf(CompactFields.TooLong.class);
        byte[] tooBig = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x10}; // 2^32 and more
        assertThatThrownBy(() -> CompactFields.var(java.nio.ByteBuffer.wrap(tooBig)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
