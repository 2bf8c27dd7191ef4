package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenVerifierTest {

    private MutableClock clock;
    private TestTokens tokens;
    private AtomicInteger keyLookups;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-01-01T10:00:00Z");
        tokens = new TestTokens(clock);
        keyLookups = new AtomicInteger();
        verifier = verifier(TestTokens.settings(clock).build());
    }

    private AccessTokenVerifier verifier(ProtectedResourceSettings settings) {
        return AccessTokenVerifier.builder(settings)
                .localKeys(() -> {
                    keyLookups.incrementAndGet();
                    return tokens.publicJwks();
                })
                .build();
    }

    /** Every refusal looks the same to the client: 401 invalid_token, the generic description, nothing more. */
    private void assertRefused(AccessTokenVerifier v, String token) {
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> v.verify(token));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.error().getCode()).isEqualTo("invalid_token");
        assertThat(e.error().getHTTPStatusCode()).isEqualTo(401);
        assertThat(e.error().getDescription()).isEqualTo(BearerErrors.INVALID_TOKEN_DESCRIPTION);
        assertThat(e.getMessage()).isEqualTo(BearerErrors.INVALID_TOKEN_DESCRIPTION);
        assertThat(e.toString()).doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
    }

    private void assertRefused(String token) {
        assertRefused(verifier, token);
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- accepted

    @Test
    void verifyWhenTokenValidThenPrincipalCarriesEveryClaim() {
        JWTClaimsSet claims = tokens.claims().build();

        AccessTokenPrincipal p = verifier.verify(tokens.token(claims));

        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.getName()).isEqualTo("alice");
        assertThat(p.clientId()).isEqualTo("client-1");
        assertThat(p.scopes()).containsExactly("mcp", "tools");
        assertThat(p.audience()).containsExactly(TestTokens.RESOURCE);
        assertThat(p.issuer()).isEqualTo(URI.create(TestTokens.ISSUER));
        assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(p.issuedAt()).contains(clock.instant());
        assertThat(p.jwtId()).contains(claims.getJWTID());
        assertThat(p.grantId()).contains("grant-1");
    }

    @Test
    void verifyWhenAudienceIsSingleStringThenAccepted() {
        String token = tokens.token(tokens.claims().audience(TestTokens.RESOURCE).build());

        assertThat(verifier.verify(token).audience()).containsExactly(TestTokens.RESOURCE);
    }

    @Test
    void verifyWhenAudienceListsSeveralIncludingThisResourceThenAccepted() {
        String token = tokens.token(tokens.claims().audience(List.of("https://other.example", TestTokens.RESOURCE))
                .build());

        assertThat(verifier.verify(token).audience()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/at+jwt", "AT+JWT", "Application/At+Jwt"})
    void verifyWhenTypIsAnAccessTokenTypeSpellingThenAccepted(String typ) {
        String token = TestTokens.sign(tokens.header().type(new JOSEObjectType(typ)).build(),
                tokens.claims().build(), tokens.key);

        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void verifyWhenScopeAbsentThenNoScopes() {
        String token = tokens.token(tokens.claims().claim("scope", null).build());

        assertThat(verifier.verify(token).scopes()).isEmpty();
    }

    @Test
    void verifyWhenExpiredWithinSkewThenAccepted() {
        String token = tokens.token();
        clock.advance(Duration.ofHours(1).plusSeconds(59));

        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void verifyWhenNbfAndIatInFutureWithinSkewThenAccepted() {
        Date soon = Date.from(clock.instant().plusSeconds(50));
        String token = tokens.token(tokens.claims().notBeforeTime(soon).issueTime(soon).build());

        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void verifyWhenSignedByAnotherAllowedAlgorithmAndKeyThenAccepted() {
        ECKey p384 = TestTokens.newKey("key-384", Curve.P_384);
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock)
                        .allowedAlgorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384)).build())
                .localKeys(() -> new JWKSet(List.of(tokens.key.toPublicJWK(), p384.toPublicJWK())))
                .build();
        String token = TestTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES384).type(new JOSEObjectType("at+jwt"))
                .keyID("key-384").build(), tokens.claims().build(), p384);

        assertThat(v.verify(token).subject()).isEqualTo("alice");
    }

    // ---- refused: signature and header (SECURITY case 28)

    @Test
    void verifyWhenSignatureForgedWithAnotherKeyUnderTheSameKidThenInvalidToken() {
        ECKey attacker = TestTokens.newKey("key-1");

        assertRefused(TestTokens.sign(tokens.header().build(), tokens.claims().build(), attacker));
    }

    @Test
    void verifyWhenPayloadAlteredAfterSigningThenInvalidToken() {
        String[] parts = tokens.token().split("\\.");
        String altered = tokens.claims().subject("mallory").build().toPayload().toBase64URL().toString();

        assertRefused(parts[0] + "." + altered + "." + parts[2]);
    }

    @Test
    void verifyWhenAlgNoneThenInvalidToken() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"key-1\"}");
        String payload = tokens.claims().build().toPayload().toBase64URL().toString();

        assertRefused(header + "." + payload + ".");
        assertRefused(header + "." + payload + "." + tokens.token().split("\\.")[2]);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenHmacSignedWithThePublicKeyAsSecretThenInvalidToken() throws JOSEException {
        byte[] publicKeyBytes = tokens.key.toECPublicKey().getEncoded();
        for (byte[] secret : List.of(publicKeyBytes,
                tokens.key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .type(new JOSEObjectType("at+jwt")).keyID("key-1").build(),
                    tokens.claims().build().toPayload());
            jws.sign(new MACSigner(secret));

            assertRefused(jws.serialize());
        }
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenAlgorithmOutsideTheAllowListThenInvalidToken() {
        ECKey p384 = TestTokens.newKey("key-384", Curve.P_384);
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(() -> new JWKSet(List.of(tokens.key.toPublicJWK(), p384.toPublicJWK())))
                .build();
        String token = TestTokens.sign(new JWSHeader.Builder(JWSAlgorithm.ES384).type(new JOSEObjectType("at+jwt"))
                .keyID("key-384").build(), tokens.claims().build(), p384);

        assertRefused(v, token);
    }

    @Test
    void verifyWhenKidUnknownThenInvalidToken() {
        ECKey other = TestTokens.newKey("key-unknown");

        assertRefused(TestTokens.sign(tokens.header().keyID("key-unknown").build(), tokens.claims().build(), other));
    }

    @Test
    void verifyWhenKidMissingThenInvalidToken() {
        assertRefused(TestTokens.sign(tokens.header().keyID(null).build(), tokens.claims().build(), tokens.key));
    }

    @Test
    void verifyWhenSignatureTruncatedThenInvalidToken() {
        String token = tokens.token();

        assertRefused(token.substring(0, token.length() - 10));
        assertRefused(token.substring(0, token.lastIndexOf('.') + 44));
    }

    @Test
    void verifyWhenEcdsaSignatureIsRZeroSZeroThenInvalidToken() {
        String token = tokens.token();
        String zero = Base64URL.encode(new byte[64]).toString();

        assertRefused(token.substring(0, token.lastIndexOf('.') + 1) + zero);
    }

    static Stream<Arguments> keyLocatingHeaders() throws Exception {
        ECKey attacker = TestTokens.newKey("key-1");
        return Stream.of(
                Arguments.of("jku", (Function<JWSHeader.Builder, JWSHeader.Builder>) h -> h
                        .jwkURL(URI.create("https://attacker.example/jwks"))),
                Arguments.of("x5u", (Function<JWSHeader.Builder, JWSHeader.Builder>) h -> h
                        .x509CertURL(URI.create("https://attacker.example/cert.pem"))),
                Arguments.of("jwk", (Function<JWSHeader.Builder, JWSHeader.Builder>) h -> h
                        .jwk(attacker.toPublicJWK())),
                Arguments.of("x5c", (Function<JWSHeader.Builder, JWSHeader.Builder>) h -> h
                        .x509CertChain(List.of(Base64.encode("not a certificate")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyLocatingHeaders")
    void verifyWhenHeaderLocatesAKeyThenInvalidTokenAndNothingFetched(String name,
            Function<JWSHeader.Builder, JWSHeader.Builder> header) {
        // Signed with the genuine key: the header alone is reason enough.
        String token = TestTokens.sign(header.apply(tokens.header()).build(), tokens.claims().build(), tokens.key);

        assertRefused(token);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenEmbeddedJwkSignsTheTokenThenInvalidToken() {
        ECKey attacker = TestTokens.newKey("attacker");
        String token = TestTokens.sign(tokens.header().keyID("attacker").jwk(attacker.toPublicJWK()).build(),
                tokens.claims().build(), attacker);

        assertRefused(token);
    }

    @Test
    void verifyWhenCritHeaderThenInvalidToken() {
        String token = TestTokens.sign(tokens.header().criticalParams(Set.of("exp")).build(),
                tokens.claims().build(), tokens.key);

        assertRefused(token);
    }

    // ---- refused: claims (SECURITY case 29)

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt2", "application/jwt"})
    void verifyWhenTypIsNotAtJwtThenInvalidToken(String typ) {
        assertRefused(TestTokens.sign(tokens.header().type(new JOSEObjectType(typ)).build(), tokens.claims().build(),
                tokens.key));
    }

    @Test
    void verifyWhenTypMissingThenInvalidToken() {
        assertRefused(TestTokens.sign(tokens.header().type(null).build(), tokens.claims().build(), tokens.key));
    }

    @Test
    void verifyWhenAudienceIsAnotherResourceThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().audience("https://rs.example.com/other").build()));
        assertRefused(tokens.token(tokens.claims().audience(TestTokens.RESOURCE + "/").build()));
        assertRefused(tokens.token(tokens.claims().audience("https://RS.example.com/mcp").build()));
    }

    @Test
    void verifyWhenClaimsAreOddlyTypedJsonThenInvalidTokenNotACrash() {
        long now = clock.instant().getEpochSecond();
        String base = "\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"alice\",\"client_id\":\"c\",\"jti\":\"j\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600);
        for (String payload : List.of(
                "{" + base + ",\"aud\":[null,\"" + TestTokens.RESOURCE + "\"]}",
                "{" + base + ",\"aud\":[1,2]}",
                "{" + base + ",\"aud\":{\"x\":1}}",
                "{" + base + ",\"aud\":\"" + TestTokens.RESOURCE + "\",\"sub\":null}",
                "{" + base + ",\"aud\":\"" + TestTokens.RESOURCE + "\",\"exp\":1e400}",
                "{" + base + ",\"aud\":\"" + TestTokens.RESOURCE + "\",\"iat\":-1e30}")) {
            assertRefused(TestTokens.sign(tokens.header().build(), payload, tokens.key));
        }
    }

    @Test
    void verifyWhenAudienceMissingThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().audience((String) null).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com", "https://as.example.com/", "http://as.example.com",
            "https://AS.example.com"})
    void verifyWhenIssuerIsNotExactlyTrustedThenInvalidToken(String iss) {
        assertRefused(tokens.token(tokens.claims().issuer(iss).build()));
    }

    @Test
    void verifyWhenExpiredBeyondSkewThenInvalidToken() {
        String token = tokens.token();
        clock.advance(Duration.ofHours(1).plusSeconds(60));

        assertRefused(token);
    }

    @Test
    void verifyWhenExpMissingThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().expirationTime(null).build()));
    }

    @Test
    void verifyWhenNbfInFutureBeyondSkewThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().notBeforeTime(Date.from(clock.instant().plusSeconds(61)))
                .build()));
    }

    @Test
    void verifyWhenIatInFutureBeyondSkewThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().issueTime(Date.from(clock.instant().plusSeconds(61))).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "client_id", "iat", "jti", "iss"})
    void verifyWhenRequiredClaimMissingThenInvalidToken(String claim) {
        assertRefused(tokens.token(tokens.claims().claim(claim, null).build()));
    }

    @Test
    void verifyWhenClaimHasTheWrongTypeThenInvalidToken() {
        assertRefused(tokens.token(tokens.claims().claim("scope", List.of("mcp", "admin")).build()));
        assertRefused(tokens.token(tokens.claims().claim("client_id", 42).build()));
        assertRefused(tokens.token(tokens.claims().claim("exp", "tomorrow").build()));
    }

    // ---- refused before any cryptography (SECURITY case 31)

    @Test
    void verifyWhenTokenOversizedThenInvalidTokenWithoutKeyLookup() {
        String token = tokens.token(tokens.claims().claim("pad", "x".repeat(9000)).build());

        assertRefused(token);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenClaimsDeeplyNestedThenInvalidTokenWithoutStackOverflow() {
        String nested = "{\"sub\":\"alice\",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
        String token = TestTokens.sign(tokens.header().build(), nested, tokens.key);

        assertRefused(token);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenClaimsDeeplyNestedInAVeryLongTokenThenInvalidTokenWithoutStackOverflow() {
        AccessTokenVerifier v = verifier(TestTokens.settings(clock).maxTokenLength(65_536).build());
        String nested = "{\"x\":" + "{\"a\":".repeat(8000) + "1" + "}".repeat(8000) + "}";
        String token = TestTokens.sign(tokens.header().build(), nested, tokens.key);

        assertRefused(v, token);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenNestingWithinTheLimitThenAccepted() {
        String token = tokens.token(tokens.claims().claim("act", java.util.Map.of("sub", "agent",
                "act", java.util.Map.of("sub", "tool"))).build());

        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "a..c", ".b.c", "a.b.", "a b.c.d", "aGk=.aGk=.aGk=",
            "eyJhbGciOiJFUzI1NiJ9.e30.%%%"})
    void verifyWhenNotACompactJwsThenInvalidToken(String token) {
        assertRefused(token);
        assertThat(keyLookups).hasValue(0);
    }

    @Test
    void verifyWhenPayloadIsNotJsonThenInvalidToken() {
        assertRefused(TestTokens.sign(tokens.header().build(), "not json", tokens.key));
        assertRefused(TestTokens.sign(tokens.header().build(), "[1,2]", tokens.key));
    }

    // ---- cache and revocation

    @Test
    void verifyWhenRepeatedThenServedFromCacheWithoutKeyLookup() {
        String token = tokens.token();
        verifier.verify(token);
        int lookups = keyLookups.get();

        for (int i = 0; i < 1000; i++) {
            verifier.verify(token);
        }

        assertThat(keyLookups).hasValue(lookups);
        assertThat(verifier.cachedTokens()).isEqualTo(1);
    }

    @Test
    void verifyWhenCachedTokenExpiresThenRefused() {
        String token = tokens.token();
        verifier.verify(token);
        clock.advance(Duration.ofHours(2));

        assertRefused(token);
    }

    @Test
    void verifyWhenCachedTokenReachesExpThenTheCacheNoLongerAnswers() {
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(() -> {
                    keyLookups.incrementAndGet();
                    return tokens.publicJwks();
                })
                .cacheTtl(Duration.ofDays(1))
                .build();
        String token = tokens.token();
        v.verify(token);
        int lookups = keyLookups.get();

        clock.advance(Duration.ofHours(1).minusNanos(1));
        v.verify(token);
        assertThat(keyLookups).as("cached until just before exp").hasValue(lookups);

        clock.advance(Duration.ofNanos(1));
        v.verify(token); // at exp, still within the clock skew: verified afresh, not served from the cache
        assertThat(keyLookups.get()).isGreaterThan(lookups);
    }

    @Test
    void builderWhenEndpointUrlHasAFragmentOrUserInfoThenFailsNamingTheField() {
        for (String url : List.of("https://as.example.com/jwks#k", "https://u:p@as.example.com/jwks")) {
            assertThatThrownBy(() -> AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                    .remoteJwks(URI.create(url)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("remoteJwks");
        }
        assertThatThrownBy(() -> AccessTokenVerifier.builder(TestTokens.settings(clock).build()).maxResponseBytes(1023))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxResponseBytes");
        assertThatThrownBy(() -> AccessTokenVerifier.builder(TestTokens.settings(clock).build()).cacheMaximumSize(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cacheMaximumSize");
    }

    @Test
    void verifyWhenInvalidatedThenVerifiedAgain() {
        String token = tokens.token();
        verifier.verify(token);
        int lookups = keyLookups.get();

        verifier.invalidate(token);
        verifier.verify(token);

        assertThat(keyLookups.get()).isGreaterThan(lookups);
    }

    @Test
    void verifyWhenCacheDisabledThenEveryCallVerifies() {
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(() -> {
                    keyLookups.incrementAndGet();
                    return tokens.publicJwks();
                })
                .cacheMaximumSize(0)
                .build();
        String token = tokens.token();

        v.verify(token);
        v.verify(token);

        assertThat(keyLookups).hasValue(2);
        assertThat(v.cachedTokens()).isZero();
    }

    private static Grant grant(String id, String client, String subject, Instant now) {
        return new Grant(id, new ClientID(client), subject, Set.of("mcp"), List.of(URI.create(TestTokens.RESOURCE)),
                now, Optional.empty(), now.plus(Duration.ofDays(1)), false);
    }

    @Test
    void verifyWhenGrantRevokedThenRefusedAtOnceEvenThoughCached() {
        GrantStore grants = InMemoryStores.create(clock).grants();
        grants.save(grant("grant-1", "client-1", "alice", clock.instant()));
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(tokens::publicJwks)
                .revocationCheck(new GrantRevocationCheck(grants))
                .build();
        String token = tokens.token();
        assertThat(v.verify(token).grantId()).contains("grant-1");
        assertThat(v.cachedTokens()).isEqualTo(1);

        grants.revoke("grant-1");

        assertRefused(v, token);
        assertThat(v.cachedTokens()).isZero();
    }

    @Test
    void verifyWhenGrantUnknownOrOfAnotherClientOrWithoutGidThenRefused() {
        GrantStore grants = InMemoryStores.create(clock).grants();
        grants.save(grant("grant-other-client", "client-2", "alice", clock.instant()));
        grants.save(grant("grant-other-subject", "client-1", "bob", clock.instant()));
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(tokens::publicJwks)
                .revocationCheck(new GrantRevocationCheck(grants))
                .build();

        assertRefused(v, tokens.token(tokens.claims().claim("gid", "grant-unknown").build()));
        assertRefused(v, tokens.token(tokens.claims().claim("gid", "grant-other-client").build()));
        assertRefused(v, tokens.token(tokens.claims().claim("gid", "grant-other-subject").build()));
        assertRefused(v, tokens.token(tokens.claims().claim("gid", null).build()));
    }

    @Test
    void verifyWhenRevocationCheckFailsThenTemporarilyUnavailable() {
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(tokens::publicJwks)
                .revocationCheck(p -> {
                    throw new IllegalStateException("database down");
                })
                .build();

        assertThatThrownBy(() -> v.verify(tokens.token()))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().getCode()).isEqualTo("temporarily_unavailable");
                    assertThat(e.error().getHTTPStatusCode()).isEqualTo(503);
                    assertThat(e.getMessage()).doesNotContain("database");
                });
    }

    @Test
    void verifyWhenLocalKeysUnavailableThenTemporarilyUnavailable() {
        AccessTokenVerifier v = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .localKeys(() -> {
                    throw new IllegalStateException("key store down");
                })
                .build();

        assertThatThrownBy(() -> v.verify(tokens.token()))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error().getHTTPStatusCode()).isEqualTo(503));
    }

    @Test
    void invalidateGrantWhenCalledThenOnlyThatGrantsTokensLeaveTheCache() {
        verifier.verify(tokens.token(tokens.claims().claim("gid", "g-a").build()));
        verifier.verify(tokens.token(tokens.claims().claim("gid", "g-a").build()));
        verifier.verify(tokens.token(tokens.claims().claim("gid", "g-b").build()));

        verifier.invalidateGrant("g-a");

        assertThat(verifier.cachedTokens()).isEqualTo(1);
    }

    // ---- scopes (SECURITY case 30)

    @Test
    void requireScopesWhenAScopeIsMissingThenInsufficientScopeNamingEveryNeededScope() {
        AccessTokenVerifier v = verifier(TestTokens.settings(clock).requiredScopes(List.of("mcp")).build());
        AccessTokenPrincipal p = v.verify(tokens.token());

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> v.requireScopes(p, List.of("admin")));

        assertThat(e.error().getCode()).isEqualTo("insufficient_scope");
        assertThat(e.error().getHTTPStatusCode()).isEqualTo(403);
        assertThat(BearerChallenge.of(v.settings(), e.error())).contains("scope=\"mcp admin\"");
    }

    @Test
    void requireScopesWhenEndpointScopeMissingThenInsufficientScope() {
        AccessTokenVerifier v = verifier(TestTokens.settings(clock).requiredScopes(List.of("admin")).build());

        assertThatThrownBy(() -> v.verify(tokens.token(), List.of()))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error().getCode()).isEqualTo("insufficient_scope"));
    }

    @Test
    void requireScopesWhenAllHeldThenPasses() {
        AccessTokenVerifier v = verifier(TestTokens.settings(clock).requiredScopes(List.of("mcp")).build());

        assertThat(v.verify(tokens.token(), List.of("tools")).scopes()).contains("mcp", "tools");
    }
}
