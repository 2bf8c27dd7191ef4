package io.github.mcpoauth.core.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation with publish-before-sign and retire-after-expiry, on a movable clock. */
class SigningKeysTest {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Duration KEY_LIFETIME = Duration.ofDays(10);
    private static final Duration LEAD = Duration.ofDays(1);

    private MutableClock clock;
    private SigningKeyStore store;
    private SigningKeys keys;

    @BeforeEach
    void setUp() {
        clock = MutableClock.atStart();
        store = InMemoryStores.create(clock).keys();
        keys = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD, Duration.ZERO);
    }

    private List<String> publishedKids() {
        return keys.publicJwks().getKeys().stream().map(JWK::getKeyID).toList();
    }

    @Test
    void whenFirstAskedThenOneKeyIsMadeStoredAndPublished() {
        ECKey key = keys.currentKey().toECKey();

        assertThat(key.isPrivate()).isTrue();
        assertThat(store.findAll()).hasSize(1);
        assertThat(publishedKids()).containsExactly(key.getKeyID());
        assertThat(keys.publicJwks().getKeys().get(0).isPrivate()).isFalse();
        assertThat(keys.currentKey().getKeyID()).isEqualTo(key.getKeyID());
        assertThat(store.findAll()).hasSize(1);
    }

    @Test
    void whenRetirementApproachesThenTheSuccessorIsPublishedBeforeItSigns() {
        String first = keys.currentKey().getKeyID();

        clock.advance(KEY_LIFETIME.minus(LEAD).minusSeconds(1));
        assertThat(publishedKids()).containsExactly(first);

        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.currentKey().getKeyID()).isEqualTo(first);
        List<String> published = publishedKids();
        assertThat(published).hasSize(2).startsWith(first);
        String successor = published.get(1);
        SigningKey stored = store.findAll().stream().filter(k -> k.keyId().equals(successor)).findFirst().orElseThrow();
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
        assertThat(stored.activatesAt()).isEqualTo(MutableClock.START.plus(KEY_LIFETIME));

        clock.advance(LEAD.minusSeconds(1));
        assertThat(keys.currentKey().getKeyID()).isEqualTo(first);
        assertThat(store.findAll()).hasSize(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.currentKey().getKeyID()).isEqualTo(successor);
        assertThat(publishedKids()).containsExactly(first, successor);
    }

    @Test
    void whenRetiredKeysTokensHaveExpiredThenItIsUnpublished() {
        String first = keys.currentKey().getKeyID();
        clock.advance(KEY_LIFETIME.minus(LEAD));
        keys.currentKey();
        clock.advance(LEAD);
        String second = keys.currentKey().getKeyID();

        clock.advance(TOKEN_LIFETIME);
        assertThat(publishedKids()).contains(first, second);
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(publishedKids()).contains(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(publishedKids()).containsExactly(second);
    }

    @Test
    void whenATokenWasSignedJustBeforeRotationThenItVerifiesUntilItExpires() throws Exception {
        AuthorizationServerSettings settings = TestServer.settings(clock).accessTokenLifetime(TOKEN_LIFETIME).build();
        AccessTokens tokens = new AccessTokens(settings, keys, Secrets.create());
        keys.currentKey();
        clock.advance(KEY_LIFETIME.minusSeconds(1));
        Instant signedAt = clock.instant();
        Grant grant = new Grant("g", new ClientID("c"), "alice", Set.of(), List.of(TestServer.RESOURCE), signedAt,
                Optional.empty(), signedAt.plus(TOKEN_LIFETIME), false);
        SignedJWT old = SignedJWT.parse(tokens.issue(grant, Set.of(), List.of(TestServer.RESOURCE), signedAt));

        clock.advance(Duration.ofSeconds(1));
        SignedJWT fresh = SignedJWT.parse(tokens.issue(grant, Set.of(), List.of(TestServer.RESOURCE),
                clock.instant()));
        assertThat(fresh.getHeader().getKeyID()).isNotEqualTo(old.getHeader().getKeyID());

        clock.advance(TOKEN_LIFETIME.minusSeconds(2));
        assertThat(tokens.read(old.serialize(), clock.instant())).isPresent();
        assertThat(tokens.read(fresh.serialize(), clock.instant())).isPresent();
    }

    @Test
    void whenTwoNodesShareAStoreThenTheyUseOneKeyAndOneSuccessor() {
        SigningKeys other = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD,
                Duration.ofSeconds(60));

        assertThat(other.currentKey().getKeyID()).isEqualTo(keys.currentKey().getKeyID());

        clock.advance(KEY_LIFETIME.minus(LEAD));
        keys.currentKey();
        other.currentKey();
        assertThat(store.findAll()).hasSize(2);
        assertThat(other.publicJwks().getKeys()).hasSize(2);
    }

    @Test
    void whenStoreChangesThenTheCachedListIsReReadAfterTheIntervalOrOnInvalidate() {
        SigningKeys cached = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD,
                Duration.ofSeconds(60));
        cached.currentKey();
        cached.publicJwks(); // making the first key dropped the cache; this read fills it
        SigningKeys writer = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        SigningKey extra = new SigningKey("extra", store.findAll().get(0).jwkJson(), clock.instant(),
                clock.instant().plus(Duration.ofDays(5)), clock.instant().plus(Duration.ofDays(15)),
                clock.instant().plus(Duration.ofDays(16)));
        store.save(extra);
        assertThat(writer.publicJwks().getKeys()).hasSize(2);

        assertThat(cached.publicJwks().getKeys()).hasSize(1);
        clock.advance(Duration.ofSeconds(58));
        assertThat(cached.publicJwks().getKeys()).hasSize(1);
        cached.invalidate();
        assertThat(cached.publicJwks().getKeys()).hasSize(2);
    }

    @Test
    void whenTheRefreshIntervalPassesThenTheStoreIsReRead() {
        SigningKeys cached = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD,
                Duration.ofSeconds(60));
        cached.publicJwks();
        cached.publicJwks();
        clock.advance(Duration.ofSeconds(1));
        store.save(new SigningKey("extra", store.findAll().get(0).jwkJson(), clock.instant(), clock.instant(),
                clock.instant(), clock.instant().plus(Duration.ofDays(1))));

        assertThat(cached.publicJwks().getKeys()).hasSize(1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(cached.publicJwks().getKeys()).hasSize(2);
    }

    @Test
    void whenClockGoesBackThenTheStoreIsReRead() {
        SigningKeys cached = SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD,
                Duration.ofHours(1));
        String kid = cached.currentKey().getKeyID();
        clock.advance(Duration.ofSeconds(-30));

        assertThat(cached.currentKey().getKeyID()).isNotEqualTo(kid);
    }

    @Test
    void whenNoKeySignsAnyMoreThenANewOneIsMade() {
        String first = keys.currentKey().getKeyID();
        clock.advance(KEY_LIFETIME.multipliedBy(3));

        assertThat(keys.currentKey().getKeyID()).isNotEqualTo(first);
        assertThat(publishedKids()).hasSize(1);
    }

    @Test
    void whenPeriodsAreInconsistentThenCreateFails() {
        assertThatThrownBy(() -> SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, KEY_LIFETIME,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publishLead");
        assertThatThrownBy(() -> SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, Duration.ofDays(-1),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKeys.create(store, clock, TOKEN_LIFETIME, KEY_LIFETIME, LEAD,
                Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refreshInterval");
    }

    @Test
    void whenStoredKeyIsPrintedThenTheKeyMaterialIsNot() {
        keys.currentKey();
        SigningKey key = store.findAll().get(0);

        assertThat(key.toString()).doesNotContain(key.jwkJson()).doesNotContain("\"d\"");
    }
}
