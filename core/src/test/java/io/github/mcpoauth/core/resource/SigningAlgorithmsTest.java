package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JWT signing algorithm as a setting: keys made per algorithm, published with the right {@code kty} and
 * {@code alg} (never private parts), tokens signed with it, read back by the server and verified by a resource
 * server that allows it (EdDSA with the JDK's own Ed25519), refused by one that does not.
 */
class SigningAlgorithmsTest {

    private static final Map<String, KeyType> KEY_TYPES = Map.of("ES256", KeyType.EC, "RS256", KeyType.RSA,
            "PS256", KeyType.RSA, "EdDSA", KeyType.OKP);

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");

    private AuthorizationServer server(JWSAlgorithm alg) {
        return AuthorizationServer.builder()
                .settings(AuthorizationServerSettings.builder().issuer(TestTokens.ISSUER).resource(TestTokens.RESOURCE)
                        .clock(clock).signingAlgorithm(alg).cleanupInterval(Duration.ZERO).build())
                .auditListener(AuditListener.none())
                .build();
    }

    private Grant grant(AuthorizationServer server) {
        Grant g = new Grant("g-1", new ClientID("client-1"), "alice", Set.of("mcp"),
                List.of(URI.create(TestTokens.RESOURCE)), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(1)), false);
        server.stores().grants().save(g);
        return g;
    }

    private AccessTokenVerifier verifier(AuthorizationServer server, JWSAlgorithm allowed) {
        return AccessTokenVerifier.builder(TestTokens.settings(clock).allowedAlgorithms(List.of(allowed)).build())
                .jwkSource(server.signingKeys().jwkSource()).revocationCheck(server.revocationCheck()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256", "PS256", "EdDSA"})
    void whenAlgorithmIsSetThenKeysTokensAndVerificationFollowIt(String name) throws Exception {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        try (AuthorizationServer server = server(alg)) {
            Grant g = grant(server);

            SignedJWT jwt = SignedJWT.parse(
                    server.accessTokens().issue(g, Set.of("mcp"), g.resources(), clock.instant()));

            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(alg);
            JWK published = server.signingKeys().servedJwks().getKeys().get(0);
            assertThat(published.getKeyType()).isEqualTo(KEY_TYPES.get(name));
            assertThat(published.getAlgorithm()).isEqualTo(alg);
            assertThat(published.isPrivate()).isFalse();
            assertThat(published.getKeyID()).isEqualTo(jwt.getHeader().getKeyID());
            assertThat(server.accessTokens().read(jwt.serialize(), clock.instant())).isPresent();
            assertThat(verifier(server, alg).verify(jwt.serialize()).subject()).isEqualTo("alice");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "EdDSA"})
    void whenTheResourceServerDoesNotAllowTheAlgorithmThenRefused(String name) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        try (AuthorizationServer server = server(alg)) {
            Grant g = grant(server);
            String token = server.accessTokens().issue(g, Set.of("mcp"), g.resources(), clock.instant());

            assertThatThrownBy(() -> verifier(server, JWSAlgorithm.ES256).verify(token))
                    .isInstanceOfSatisfying(OAuthException.class,
                            e -> assertThat(e.error().getCode()).isEqualTo("invalid_token"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256", "PS256", "EdDSA"})
    void whenTheSignedPayloadIsAlteredOrTheSignatureTruncatedThenRefused(String name) throws Exception {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        try (AuthorizationServer server = server(alg)) {
            Grant g = grant(server);
            SignedJWT jwt = SignedJWT.parse(
                    server.accessTokens().issue(g, Set.of("mcp"), g.resources(), clock.instant()));
            String[] parts = jwt.serialize().split("\\.");
            String otherSubject = new com.nimbusds.jwt.JWTClaimsSet.Builder(jwt.getJWTClaimsSet()).subject("mallory")
                    .build().toPayload().toBase64URL().toString();
            String altered = parts[0] + "." + otherSubject + "." + parts[2];
            String truncated = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() / 2);

            for (String forged : List.of(altered, truncated)) {
                assertThatThrownBy(() -> verifier(server, alg).verify(forged))
                        .isInstanceOfSatisfying(OAuthException.class,
                                e -> assertThat(e.error().getCode()).isEqualTo("invalid_token"));
                assertThat(server.accessTokens().read(forged, clock.instant())).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "EdDSA"})
    void whenTheAlgorithmChangesThenANewKeySignsAndTokensOfTheOldKeyStillVerify(String name) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        try (AuthorizationServer before = server(JWSAlgorithm.ES256)) {
            Grant g = grant(before);
            String old = before.accessTokens().issue(g, Set.of("mcp"), g.resources(), clock.instant());
            AuthorizationServer after = AuthorizationServer.builder()
                    .settings(AuthorizationServerSettings.builder().issuer(TestTokens.ISSUER)
                            .resource(TestTokens.RESOURCE).clock(clock).signingAlgorithm(alg)
                            .cleanupInterval(Duration.ZERO).build())
                    .stores(before.stores()).auditListener(AuditListener.none()).build();
            try (after) {
                String fresh = after.accessTokens().issue(g, Set.of("mcp"), g.resources(), clock.instant());

                assertThat(after.accessTokens().read(fresh, clock.instant())).isPresent();
                assertThat(after.accessTokens().read(old, clock.instant())).isPresent();
                assertThat(after.signingKeys().servedJwks().getKeys()).extracting(JWK::getAlgorithm)
                        .containsExactlyInAnyOrder(JWSAlgorithm.ES256, alg);
            }
        }
    }
}
