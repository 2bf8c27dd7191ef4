package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #10 on PostgreSQL: two "nodes" (stores and key sets of their own over one schema) answering 16
 * concurrent first token requests on an empty key table make exactly one active signing key.
 */
class JdbcFirstKeyRaceTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    @Test
    void whenTwoNodesRaceForTheFirstKeyThenOneKeyIsMade() {
        SCHEMA.truncate();
        MutableClock clock = MutableClock.atStart();
        SigningKeys nodeA = SigningKeys.create(SCHEMA.stores(clock).keys(), clock, Duration.ofHours(1));
        SigningKeys nodeB = SigningKeys.create(SCHEMA.stores(clock).keys(), clock, Duration.ofHours(1));

        List<String> kids = Concurrently.run(16, Duration.ofSeconds(90),
                i -> (i % 2 == 0 ? nodeA : nodeB).currentKey().getKeyID());

        assertThat(SCHEMA.count(SCHEMA.tables.signingKey)).isEqualTo(1);
        assertThat(kids).hasSize(16).containsOnly(kids.get(0));
    }
}
