package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.internal.token.SameAppResources;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Same-app access tokens: compact tokens (and, from before them, HS256 JWTs) MAC'd under a key derived from the
 * signing key, issued only when every audience is guarded in this application, accepted only by the same-app
 * verifier and only with our derived key.
 */
class MacAccessTokensTest {

    private static final String OTHER = "https://elsewhere.example.com/mcp";
    private static final Duration KEY_LIFETIME = Duration.ofDays(10);
    private static final Duration LEAD = Duration.ofDays(1);

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final Stores stores = InMemoryStores.create(clock);
    private final AuthorizationServerSettings as = AuthorizationServerSettings.builder()
            .issuer(TestTokens.ISSUER).resource(TestTokens.RESOURCE).resource(OTHER).clock(clock).build();
    private final SigningKeys keys = SigningKeys.create(stores.keys(), clock, as.accessTokenLifetime(), KEY_LIFETIME,
            LEAD, Duration.ZERO);
    private final AccessTokens tokens = new AccessTokens(as, keys, Secrets.create(),
            SameAppResources.of(as, List.of(URI.create(TestTokens.RESOURCE))),
            new GrantRevocationCheck(stores.grants())::grantClaims);
    private final AccessTokenVerifier sameApp = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
            .jwkSource(keys.jwkSource())
            .sameAppMacKeys(tokens.macKeys()::verifier)
            .revocationCheck(new GrantRevocationCheck(stores.grants()))
            .build();
    private final AccessTokenVerifier jwksOnly = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
            .jwkSource(keys.jwkSource())
            .build();

    private Grant grant(String id, String... resources) {
        Grant g = new Grant(id, new ClientID("client-1"), "alice", Set.of("mcp"),
                List.of(resources).stream().map(URI::create).toList(), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(30)), false);
        stores.grants().save(g);
        return g;
    }

    private String issue(Grant g) {
        return tokens.issue(g, Set.of("mcp"), g.resources(), clock.instant(), Optional.of("thumbprint-1"));
    }

    /** The same-app token of {@code g} in its JWT form (HS256 under the current MAC key), as issued before. */
    private SignedJWT hs256(Grant g) throws Exception {
        JWTClaimsSet claims = tokens.read(issue(g), clock.instant()).orElseThrow();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AccessTokens.AT_JWT)
                .keyID(keys.currentKey().getKeyID()).build(), claims);
        jwt.sign(tokens.macKeys().current().signer());
        return jwt;
    }

    private static void assertRefused(AccessTokenVerifier verifier, String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getCode()).isEqualTo("invalid_token"));
    }

    @Test
    void whenEveryAudienceIsSameAppThenTheTokenIsCompactWithTheSameClaimsAndVerifies() throws Exception {
        String token = issue(grant("g-1", TestTokens.RESOURCE));

        assertThat(token.chars().filter(c -> c == '.').count()).isEqualTo(1);
        assertThat(token.length()).isLessThan(250);
        JWTClaimsSet claims = tokens.read(token, clock.instant()).orElseThrow(); // introspection and revocation
        assertThat(claims.getIssuer()).isEqualTo(TestTokens.ISSUER);
        assertThat(claims.getAudience()).containsExactly(TestTokens.RESOURCE);
        assertThat(claims.getStringClaim("client_id")).isEqualTo("client-1");
        assertThat(claims.getStringClaim("gid")).isEqualTo("g-1");
        assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", "thumbprint-1");
        AccessTokenPrincipal p = sameApp.verify(token);
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.grantId()).contains("g-1");
        assertThat(p.jkt()).contains("thumbprint-1");
        assertThat(p.scopes()).containsExactly("mcp");
    }

    @Test
    void whenABearerTokenIsIssuedThenItIsAReferenceOfAtMost70CharactersAndVerifies() {
        Grant g = grant(Secrets.create().newId(16), TestTokens.RESOURCE); // a grant id as the server makes them

        String token = tokens.issue(g, Set.of("mcp"), g.resources(), clock.instant());

        assertThat(token.length()).as(token).isLessThanOrEqualTo(70);
        AccessTokenPrincipal p = sameApp.verify(token);
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.clientId()).isEqualTo("client-1");
        assertThat(p.audience()).containsExactly(TestTokens.RESOURCE);
        assertThat(p.jwtId()).contains(token.substring(token.indexOf('.') + 1));
        assertThat(p.jkt()).isEmpty();
    }

    @Test
    void whenATokenIsNarrowerThanItsGrantThenItCarriesItsOwnScope() {
        Grant g = new Grant("g-11", new ClientID("client-1"), "alice", Set.of("mcp", "mcp:admin"),
                List.of(URI.create(TestTokens.RESOURCE)), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(30)), false);
        stores.grants().save(g);

        assertThat(sameApp.verify(tokens.issue(g, Set.of("mcp"), g.resources(), clock.instant())).scopes())
                .containsExactly("mcp");
        assertThat(sameApp.verify(tokens.issue(g, g.scopes(), g.resources(), clock.instant())).scopes())
                .containsExactlyInAnyOrder("mcp", "mcp:admin");
    }

    @Test
    void whenTheGrantIsNotHeldThenTheReferenceTokenIsRefused() {
        Grant unsaved = new Grant("g-12", new ClientID("client-1"), "alice", Set.of("mcp"),
                List.of(URI.create(TestTokens.RESOURCE)), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(30)), false);

        String token = tokens.issue(unsaved, Set.of("mcp"), unsaved.resources(), clock.instant());

        assertRefused(sameApp, token);
        assertThat(tokens.read(token, clock.instant())).isEmpty();
    }

    @Test
    void whenTheGrantCannotBeReadNowThenUnavailableAndNotRememberedAsRefused() {
        Grant g = grant("g-13", TestTokens.RESOURCE);
        String token = tokens.issue(g, Set.of("mcp"), g.resources(), clock.instant());
        boolean[] down = {true};
        RevocationCheck grants = new GrantRevocationCheck(stores.grants());
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .jwkSource(keys.jwkSource()).sameAppMacKeys(tokens.macKeys()::verifier)
                .revocationCheck(new RevocationCheck() {
                    @Override
                    public boolean isActive(AccessTokenPrincipal p) {
                        return grants.isActive(p);
                    }

                    @Override
                    public Optional<GrantClaims> grantClaims(String grantId) {
                        if (down[0]) {
                            throw new IllegalStateException("the grant store is down");
                        }
                        return grants.grantClaims(grantId);
                    }
                }).build();

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getHTTPStatusCode()).isEqualTo(503));
        down[0] = false;
        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void whenSameAppMacKeysAreGivenWithoutARevocationCheckThenBuildFailsNamingIt() {
        AccessTokenVerifier.Builder builder = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .jwkSource(keys.jwkSource()).sameAppMacKeys(tokens.macKeys()::verifier);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sameAppMacKeys").hasMessageContaining("revocationCheck");
        assertThatThrownBy(AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .sameAppMacKeys(tokens.macKeys()::verifier).revocationCheck(RevocationCheck.none())::build)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("token source");
    }

    @Test
    void whenATokenIsOfTheFormIssuedBeforeReferencesThenItStillVerifies() throws Exception {
        Grant g = grant("g-14", TestTokens.RESOURCE);
        JWTClaimsSet claims = tokens.read(tokens.issue(g, Set.of("mcp"), g.resources(), clock.instant()),
                clock.instant()).orElseThrow();
        MacKeys.MacKey key = tokens.macKeys().current();
        String version2 = CompactTokens.encode(claims, URI.create(TestTokens.ISSUER), key.tag(), key.hmac())
                .orElseThrow();

        assertThat(version2.length()).isGreaterThan(100); // every claim carried
        assertThat(sameApp.verify(version2).grantId()).contains("g-14");
        assertThat(tokens.read(version2, clock.instant())).isPresent();
        stores.grants().revoke("g-14");
        assertRefused(sameApp, version2);
    }

    @Test
    void whenASameAppTokenIsAnHs256JwtAsIssuedBeforeThenItStillVerifies() throws Exception {
        SignedJWT jwt = hs256(grant("g-10", TestTokens.RESOURCE));

        assertThat(sameApp.verify(jwt.serialize()).grantId()).contains("g-10");
        assertThat(tokens.read(jwt.serialize(), clock.instant())).isPresent();
    }

    @Test
    void whenRevokedThenTheSameAppTokenIsRefusedAtOnce() {
        String token = issue(grant("g-2", TestTokens.RESOURCE));
        sameApp.verify(token);

        stores.grants().revoke("g-2");

        assertRefused(sameApp, token);
    }

    @Test
    void whenAnAudienceIsNotSameAppThenTheTokenIsSignedNeverMacd() throws Exception {
        SignedJWT mixed = SignedJWT.parse(issue(grant("g-3", TestTokens.RESOURCE, OTHER)));
        SignedJWT other = SignedJWT.parse(issue(grant("g-4", OTHER)));

        assertThat(mixed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(other.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(sameApp.verify(mixed.serialize()).subject()).isEqualTo("alice");
        assertThat(tokens.read(other.serialize(), clock.instant())).isPresent();
    }

    @Test
    void whenSameAppTokensAreOffThenEveryTokenIsSigned() throws Exception {
        AuthorizationServerSettings off = AuthorizationServerSettings.builder().issuer(TestTokens.ISSUER)
                .resource(TestTokens.RESOURCE).clock(clock).sameAppTokens(false).build();
        AccessTokens signed = new AccessTokens(off, keys, Secrets.create(),
                SameAppResources.of(off, List.of(URI.create(TestTokens.RESOURCE))),
                new GrantRevocationCheck(stores.grants())::grantClaims);
        Grant g = grant("g-5", TestTokens.RESOURCE);

        SignedJWT jwt = SignedJWT.parse(signed.issue(g, Set.of("mcp"), g.resources(), clock.instant()));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwksOnly.verify(jwt.serialize()).subject()).isEqualTo("alice");
    }

    @Test
    void whenASameAppTokenReachesAJwksValidatorThenRefused() throws Exception {
        Grant g = grant("g-6", TestTokens.RESOURCE);

        assertRefused(jwksOnly, issue(g));
        assertRefused(jwksOnly, hs256(g).serialize());
    }

    @Test
    void whenMacdUnderAnotherKeyOrKidThenRefused() throws Exception {
        Grant g = grant("g-7", TestTokens.RESOURCE);
        SignedJWT genuine = hs256(g);
        JWTClaimsSet claims = genuine.getJWTClaimsSet();
        String kid = genuine.getHeader().getKeyID();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        // Another server's derived key: same derivation, another signing key.
        SigningKeys foreign = SigningKeys.create(InMemoryStores.create(clock).keys(), clock, as.accessTokenLifetime());
        AccessTokens foreignTokens = new AccessTokens(as, foreign, Secrets.create(),
                SameAppResources.of(as, List.of(URI.create(TestTokens.RESOURCE))),
                new GrantRevocationCheck(stores.grants())::grantClaims);
        String foreignToken = foreignTokens.issue(g, Set.of("mcp"), g.resources(), clock.instant());

        assertRefused(sameApp, mac(kid, claims, random));
        assertRefused(sameApp, mac("unknown-kid", claims, random));
        assertRefused(sameApp, foreignToken);
        assertThat(tokens.read(mac(kid, claims, random), clock.instant())).isEmpty();
        assertThat(tokens.read(foreignToken, clock.instant())).isEmpty();
    }

    @Test
    void whenAlgIsNoneOrConfusedThenRefused() throws Exception {
        SignedJWT genuine = hs256(grant("g-8", TestTokens.RESOURCE));
        JWTClaimsSet claims = genuine.getJWTClaimsSet();
        String kid = genuine.getHeader().getKeyID();
        JWK publicKey = keys.publicKey(kid).orElseThrow();
        String none = new PlainJWT(new PlainHeader.Builder().type(AccessTokens.AT_JWT).build(), claims).serialize();
        // HMAC keyed with the published public key (RFC 8725 §2.1), and the right HMAC under another HS alg.
        byte[] publicBytes = publicKey.toJSONString().getBytes(StandardCharsets.UTF_8);
        String hs512 = sign(new JWSHeader.Builder(JWSAlgorithm.HS512).type(AccessTokens.AT_JWT).keyID(kid).build(),
                claims, padded(publicBytes, 64));
        String es256WithMac = genuine.getHeader().toBase64URL() + "." + genuine.getPayload().toBase64URL() + "."
                + genuine.getSignature();
        String relabelled = new JWSHeader.Builder(JWSAlgorithm.ES256).type(AccessTokens.AT_JWT).keyID(kid).build()
                .toBase64URL() + "." + genuine.getPayload().toBase64URL() + "." + genuine.getSignature();

        assertRefused(sameApp, none);
        assertRefused(sameApp, mac(kid, claims, padded(publicBytes, 32)));
        assertRefused(sameApp, hs512);
        assertRefused(sameApp, relabelled);
        assertThat(sameApp.verify(es256WithMac).subject()).isEqualTo("alice"); // the untouched token, for contrast
        for (String t : List.of(none, hs512, relabelled)) {
            assertThat(tokens.read(t, clock.instant())).isEmpty();
        }
    }

    @Test
    void whenMacdUnderARetiredKeyThenVerifiesUntilExpiryAndUnderAnExpiredKeyNot() {
        // Tokens living longer than the key list keeps retired keys: only the key's expiry can refuse them.
        AuthorizationServerSettings longLived = AuthorizationServerSettings.builder().issuer(TestTokens.ISSUER)
                .resource(TestTokens.RESOURCE).clock(clock).accessTokenLifetime(Duration.ofDays(1)).build();
        AccessTokens longTokens = new AccessTokens(longLived, keys, Secrets.create(),
                SameAppResources.of(longLived, List.of(URI.create(TestTokens.RESOURCE))),
                new GrantRevocationCheck(stores.grants())::grantClaims);
        Grant g = grant("g-9", TestTokens.RESOURCE);
        String first = keys.currentKey().getKeyID();
        clock.advance(KEY_LIFETIME.minusMinutes(5));
        String late = longTokens.issue(g, Set.of("mcp"), g.resources(), clock.instant());

        clock.advance(Duration.ofMinutes(10)); // the first key has retired: the successor signs
        assertThat(keys.currentKey().getKeyID()).isNotEqualTo(first);
        assertThat(verifierAfterCache().verify(late).subject()).isEqualTo("alice");

        clock.advance(as.accessTokenLifetime().plusMinutes(5)); // past the key's expiry, not the token's
        assertThat(keys.publicKey(first)).isEmpty();
        assertRefused(verifierAfterCache(), late);
        assertThat(longTokens.read(late, clock.instant())).isEmpty();
    }

    /** A fresh same-app verifier: no cached result between the steps of a test. */
    private AccessTokenVerifier verifierAfterCache() {
        return AccessTokenVerifier.builder(TestTokens.settings(clock).clockSkew(Duration.ZERO).build())
                .jwkSource(keys.jwkSource()).sameAppMacKeys(tokens.macKeys()::verifier)
                .revocationCheck(new GrantRevocationCheck(stores.grants())).build();
    }

    private static String mac(String kid, JWTClaimsSet claims, byte[] secret) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AccessTokens.AT_JWT).keyID(kid).build(), claims,
                secret);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static byte[] padded(byte[] bytes, int min) {
        return bytes.length >= min ? bytes : java.util.Arrays.copyOf(bytes, min);
    }
}
