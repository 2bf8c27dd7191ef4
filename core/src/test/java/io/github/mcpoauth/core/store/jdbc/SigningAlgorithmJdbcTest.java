package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.internal.token.SameAppResources;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys of every signing algorithm in the encrypted JDBC key store on PostgreSQL: a key one node makes is found by
 * another (with its {@code kty} and {@code alg}), which reads back the first node's signed and MAC'd tokens.
 */
class SigningAlgorithmJdbcTest {

    private static final TestSchema SCHEMA = TestSchema.create();
    private static final SecretKeySpec KEK = new SecretKeySpec(new byte[] {
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6}, "AES");
    private static final Map<String, KeyType> KEY_TYPES = Map.of("RS256", KeyType.RSA, "PS256", KeyType.RSA,
            "EdDSA", KeyType.OKP);
    private static final URI SAME_APP = URI.create("https://as.example.com/mcp");
    private static final URI ELSEWHERE = URI.create("https://rs.example.com/mcp");

    private final MutableClock clock = MutableClock.atStart();

    private AccessTokens node(AuthorizationServerSettings settings, SigningKeys keys) {
        return new AccessTokens(settings, keys, Secrets.create(), SameAppResources.of(settings, List.of(SAME_APP)),
                new GrantRevocationCheck(SCHEMA.stores(clock).grants())::grantClaims);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "EdDSA"})
    void whenANodeMakesAKeyThenAnotherNodeFindsItAndReadsItsTokens(String name) {
        SCHEMA.truncate();
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer("https://as.example.com")
                .resource(SAME_APP).resource(ELSEWHERE).clock(clock).signingAlgorithm(alg).build();
        SigningKeyStore storeA = SigningKeyStore.encrypted(SCHEMA.stores(clock).keys(), KEK);
        SigningKeyStore storeB = SigningKeyStore.encrypted(SCHEMA.stores(clock).keys(), KEK);
        SigningKeys keysA = SigningKeys.create(storeA, clock, Duration.ofHours(1), Duration.ofDays(90), Runnable::run,
                alg);
        SigningKeys keysB = SigningKeys.create(storeB, clock, Duration.ofHours(1), Duration.ofDays(90), Runnable::run,
                alg);
        Grant g = new Grant("g-1", new ClientID("client-1"), "alice", Set.of("mcp"), List.of(SAME_APP, ELSEWHERE),
                clock.instant(), Optional.empty(), clock.instant().plus(Duration.ofDays(1)), false);
        SCHEMA.stores(clock).grants().save(g); // a reference token's grant, which node B reads from the database
        String signed = node(settings, keysA).issue(g, Set.of("mcp"), List.of(ELSEWHERE), clock.instant());
        String macd = node(settings, keysA).issue(g, Set.of("mcp"), List.of(SAME_APP), clock.instant());

        JWK found = keysB.publicKey(keysA.currentKey().getKeyID()).orElseThrow();

        assertThat(found.getKeyType()).isEqualTo(KEY_TYPES.get(name));
        assertThat(found.getAlgorithm()).isEqualTo(alg);
        assertThat(found.isPrivate()).isFalse();
        assertThat(keysB.currentKey().getKeyID()).isEqualTo(found.getKeyID()); // one key agreed on, not two
        assertThat(node(settings, keysB).read(signed, clock.instant())).isPresent();
        assertThat(node(settings, keysB).read(macd, clock.instant())).isPresent();
    }
}
