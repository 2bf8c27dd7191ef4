package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory grant store under many rotations: bounded, and never losing a live grant's current token. */
class MemoryGrantStoreBoundsTest {

    @Test
    void whenManyGrantsRotateManyTimesThenEveryCurrentTokenIsStillFound() {
        GrantStore store = InMemoryStores.create(MutableClock.atStart()).grants();
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Grant g = TestGrants.grant().build();
            store.save(g);
            grants.add(g);
        }
        List<List<String>> chains = new ArrayList<>();
        for (Grant g : grants) {
            List<String> chain = new ArrayList<>(List.of(g.refreshTokenHash().orElseThrow()));
            for (int r = 0; r < 30; r++) {
                String next = TestGrants.newRefreshTokenHash();
                assertThat(store.rotate(g.grantId(), chain.get(chain.size() - 1), next, g.expiresAt())).isTrue();
                chain.add(next);
            }
            chains.add(chain);
        }
        for (int i = 0; i < grants.size(); i++) {
            List<String> chain = chains.get(i);
            String id = grants.get(i).grantId();
            int last = chain.size() - 1;
            assertThat(store.findByRefreshToken(id, chain.get(last)).map(Grant::grantId)).contains(id);
            assertThat(store.findByRefreshToken(id, chain.get(last - MemoryGrantStore.MAX_HISTORY)).map(Grant::grantId))
                    .contains(id);
            assertThat(store.findByRefreshToken(id, chain.get(0))).isEmpty();
        }
    }
}
