package io.github.mcpoauth.core.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14 #10: concurrent first token requests on an empty store make exactly one signing key. */
class FirstKeyRaceTest {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    @Test
    void whenSixteenThreadsAskForTheFirstKeyAtOnceThenOneKeyIsMade() {
        MutableClock clock = MutableClock.atStart();
        SigningKeyStore store = InMemoryStores.create(clock).keys();
        SigningKeys keys = SigningKeys.create(store, clock, TOKEN_LIFETIME);

        List<String> kids = Concurrently.run(16, Duration.ofSeconds(60), i -> keys.currentKey().getKeyID());

        assertThat(store.findAll()).hasSize(1);
        assertThat(kids).containsOnly(store.findAll().get(0).keyId());
    }

    @Test
    void whenTwoInstancesShareOneStoreAndRaceThenOneKeyIsMade() {
        MutableClock clock = MutableClock.atStart();
        SigningKeyStore store = InMemoryStores.create(clock).keys();
        SigningKeys a = SigningKeys.create(store, clock, TOKEN_LIFETIME);
        SigningKeys b = SigningKeys.create(store, clock, TOKEN_LIFETIME);

        List<ECKey> made = Concurrently.run(16, Duration.ofSeconds(60),
                i -> (i % 2 == 0 ? a : b).currentKey().toECKey());

        assertThat(store.findAll()).hasSize(1);
        assertThat(made).extracting(ECKey::getKeyID).containsOnly(store.findAll().get(0).keyId());
    }
}
