package io.github.mcpoauth.core.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #3: once loaded, the keys are served from memory; with a refresher, a due re-read runs in the
 * background, so a frozen key store holds up neither the JWKS nor signing.
 */
class KeyRefreshInBackgroundTest {

    private final MutableClock clock = MutableClock.atStart();
    private final FreezingKeys store = new FreezingKeys(InMemoryStores.create(clock).keys());
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-key-refresher");
        t.setDaemon(true);
        return t;
    });
    private final SigningKeys keys = SigningKeys.create(store, clock, Duration.ofHours(1), Duration.ofDays(90),
            refresher, com.nimbusds.jose.JWSAlgorithm.ES256);

    @AfterEach
    void thawAndStop() {
        store.thaw.countDown();
        refresher.shutdownNow();
    }

    @Test
    void whenTheStoreFreezesThenJwksAndSigningAreServedFromMemoryWhileTheReReadWaits() throws Exception {
        String kid = keys.currentKey().getKeyID();
        store.frozen = true;
        clock.advance(Duration.ofMinutes(2)); // the key list is due for a re-read

        JWKSet served = CompletableFuture.supplyAsync(keys::servedJwks).get(30, TimeUnit.SECONDS);
        assertThat(store.entered.await(30, TimeUnit.SECONDS)).as("the re-read runs, and hangs, elsewhere").isTrue();
        String signing = CompletableFuture.supplyAsync(() -> keys.currentKey().getKeyID()).get(30, TimeUnit.SECONDS);

        assertThat(served.getKeys()).extracting(k -> k.getKeyID()).containsExactly(kid);
        assertThat(signing).isEqualTo(kid);
    }

    @Test
    void whenTheBackgroundReReadFinishesThenKeysMadeElsewhereArePublished() throws Exception {
        keys.currentKey();
        SigningKey other = new SigningKey("other-node", new ECKeyGenerator(Curve.P_256).keyID("other-node")
                .generate().toJSONString(), clock.instant(), clock.instant(), clock.instant().plus(Duration.ofDays(90)),
                clock.instant().plus(Duration.ofDays(91)));
        store.save(other); // another node's key
        clock.advance(Duration.ofMinutes(2));

        keys.servedJwks(); // starts the re-read
        CountDownLatch done = new CountDownLatch(1);
        refresher.execute(done::countDown); // runs after it: one thread
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(keys.servedJwks().getKeyByKeyId(other.keyId())).isNotNull();
    }

    @Test
    void whenTheRefresherIsShutDownThenTheCallerReadsItself() throws Exception {
        keys.currentKey();
        refresher.shutdown();
        assertThat(refresher.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        SigningKey other = new SigningKey("late-key", new ECKeyGenerator(Curve.P_256).keyID("late-key")
                .generate().toJSONString(), clock.instant(), clock.instant(), clock.instant().plus(Duration.ofDays(90)),
                clock.instant().plus(Duration.ofDays(91)));
        store.save(other);
        clock.advance(Duration.ofMinutes(2));

        assertThat(keys.servedJwks().getKeyByKeyId("late-key")).isNotNull();
    }

    /** A key store whose reads hang while {@link #frozen}, as on a SIGSTOPped database. */
    private static final class FreezingKeys implements SigningKeyStore {
        volatile boolean frozen;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch thaw = new CountDownLatch(1);
        private final SigningKeyStore delegate;

        FreezingKeys(SigningKeyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(SigningKey key) {
            delegate.save(key);
        }

        @Override
        public List<SigningKey> findAll() {
            if (frozen) {
                entered.countDown();
                try {
                    thaw.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.findAll();
        }
    }
}
