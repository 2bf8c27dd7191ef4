package io.github.mcpoauth.core.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SigningKeyStore}, and of {@link SigningKeys} over it: every node sharing the store
 * publishes the same JWKS and rotates to the same key. Subclass it and return an empty store from
 * {@link #createStore}; override {@link #anotherNode} when a second instance can share the first one's data.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5</a>
 */
public abstract class SigningKeyStoreContract {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Duration KEY_LIFETIME = Duration.ofDays(10);
    private static final Duration PUBLISH_LEAD = Duration.ofDays(1);
    private static final Duration REFRESH = Duration.ofMinutes(1);

    /** The clock handed to the store; tests move it. */
    protected final MutableClock clock = MutableClock.at(MutableClock.START);

    /** The store under test, created before each test. */
    protected SigningKeyStore store;

    /** An empty store to test, on {@code clock}. */
    protected abstract SigningKeyStore createStore(Clock clock);

    /**
     * The store as a second node sees it: another instance over the same data where the store allows it (as
     * a database does); by default the same instance.
     */
    protected SigningKeyStore anotherNode(SigningKeyStore store, Clock clock) {
        return store;
    }

    @BeforeEach
    public void createStoreUnderTest() {
        store = createStore(clock);
    }

    @Test
    public void whenEmptyThenNoKeys() {
        assertThat(store.findAll()).isEmpty();
    }

    @Test
    public void whenKeySetChangedSinceReadThenSaveIfUnchangedRefuses() {
        SigningKey first = TestSigningKeys.key().build();
        SigningKey second = TestSigningKeys.key().build();

        assertThat(store.saveIfUnchanged(first, java.util.Set.of())).isTrue();
        assertThat(store.saveIfUnchanged(second, java.util.Set.of())).isFalse();
        assertThat(store.saveIfUnchanged(second, java.util.Set.of(first.keyId()))).isTrue();

        assertThat(store.findAll()).extracting(SigningKey::keyId)
                .containsExactlyInAnyOrder(first.keyId(), second.keyId());
    }

    @Test
    public void whenSavedThenFoundWithEveryField() {
        SigningKey key = TestSigningKeys.key().createdAt(MutableClock.START.minusMillis(3))
                .activatesAt(MutableClock.START.plusSeconds(60)).build();

        store.save(key);

        assertThat(store.findAll()).containsExactly(key);
    }

    @Test
    public void whenSeveralSavedThenAllFound() {
        SigningKey first = TestSigningKeys.key().build();
        SigningKey second = TestSigningKeys.key().activatesAt(first.retiresAt()).retiresAt(first.expiresAt())
                .expiresAt(first.expiresAt().plus(Duration.ofDays(1))).build();

        store.save(first);
        store.save(second);

        assertThat(store.findAll()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    public void whenSavedAgainWithSameIdThenReplaced() {
        SigningKey key = TestSigningKeys.key().build();
        SigningKey changed = TestSigningKeys.key().keyId(key.keyId()).retiresAt(key.retiresAt().minusSeconds(1))
                .build();

        store.save(key);
        store.save(changed);

        assertThat(store.findAll()).containsExactly(changed);
    }

    @Test
    public void whenTwoNodesShareTheStoreThenTheyPublishTheSameKeysThroughRotation() {
        SigningKeys nodeA = nodeOn(store);
        SigningKeys nodeB = nodeOn(anotherNode(store, clock));

        ECKey first = nodeA.currentKey().toECKey();
        assertThat(nodeB.currentKey().getKeyID()).isEqualTo(first.getKeyID());
        assertSamePublication(nodeA, nodeB, 1);

        // Into the lead before retirement: one node makes the successor, the other adopts it.
        clock.advance(KEY_LIFETIME.minus(PUBLISH_LEAD).plusMinutes(5));
        assertThat(nodeB.currentKey().getKeyID()).isEqualTo(first.getKeyID());
        assertThat(nodeA.currentKey().getKeyID()).isEqualTo(first.getKeyID());
        assertSamePublication(nodeA, nodeB, 2);
        assertThat(store.findAll()).hasSize(2);

        // Past retirement: both sign with the successor; the first key stays published for its tokens.
        clock.set(MutableClock.START.plus(KEY_LIFETIME).plusSeconds(1));
        ECKey second = nodeA.currentKey().toECKey();
        assertThat(second.getKeyID()).isNotEqualTo(first.getKeyID());
        assertThat(nodeB.currentKey().getKeyID()).isEqualTo(second.getKeyID());
        assertSamePublication(nodeA, nodeB, 2);

        // Once every token the first key signed has expired, it is no longer published.
        clock.advance(TOKEN_LIFETIME.plusMinutes(6));
        assertSamePublication(nodeA, nodeB, 1);
        assertThat(nodeA.publicJwks().getKeyByKeyId(first.getKeyID())).isNull();
        assertThat(store.findAll()).hasSize(2);
    }

    @Test
    public void whenTwoNodesStartAtOnceThenAfterARefreshTheyAgreeOnTheKey() {
        SigningKeys nodeA = nodeOn(store);
        SigningKeys nodeB = nodeOn(anotherNode(store, clock));

        List<String> kids = Concurrently.run(2, Duration.ofSeconds(30),
                i -> (i == 0 ? nodeA : nodeB).currentKey().getKeyID());
        clock.advance(REFRESH.plusSeconds(1));

        assertThat(store.findAll()).extracting(SigningKey::keyId).containsAll(kids);
        assertThat(nodeA.currentKey().getKeyID()).isEqualTo(nodeB.currentKey().getKeyID());
        assertThat(nodeA.publicJwks().toString()).isEqualTo(nodeB.publicJwks().toString());
    }

    private SigningKeys nodeOn(SigningKeyStore keys) {
        return SigningKeys.create(keys, clock, TOKEN_LIFETIME, KEY_LIFETIME, PUBLISH_LEAD, REFRESH);
    }

    private void assertSamePublication(SigningKeys a, SigningKeys b, int expectedKeys) {
        // A node re-reads the store at most once per refresh interval: let both catch up first.
        clock.advance(REFRESH.plusSeconds(1));
        Instant now = clock.instant();
        String jwksA = a.publicJwks().toString();
        String jwksB = b.publicJwks().toString();
        assertThat(jwksA).as("JWKS at %s", now).isEqualTo(jwksB);
        assertThat(a.publicJwks().getKeys()).hasSize(expectedKeys);
        assertThat(a.publicJwks().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    }
}
