package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the scale harness (a few seconds): the in-memory stores and an embedded PostgreSQL are preloaded
 * (the bulk SQL runs against the current schema), the example starts on each, and every operation completes with
 * no error; the report prints every row and budget. Speed is not asserted: the figures belong in
 * docs/performance.md.
 */
class ScaleHarnessSmokeTest {

    @Test
    void whenTheHarnessRunsBrieflyOnBothStoresThenEveryOperationCompletesWithoutErrors() throws Exception {
        List<ScaleHarness.Row> rows = ScaleHarness.run(ScaleHarness.Options.smoke(
                List.of(PreloadedStores.Kind.MEMORY, PreloadedStores.Kind.POSTGRES)), line -> { });

        assertThat(rows).hasSize(8);
        for (ScaleHarness.Row row : rows) {
            assertThat(row.measurement().errors())
                    .as("%s %s: %s", row.kind(), row.operation(), row.measurement().firstError()).isZero();
            assertThat(row.measurement().ops()).as("%s %s", row.kind(), row.operation()).isPositive();
        }
        assertThat(ScaleHarness.table(rows)).contains("postgres", "memory", "refresh", "vs 1st");
        assertThat(ScaleHarness.budgets(rows, List.of(new ScaleHarness.Heap(10, 1, 900))))
                .contains("errors 0  ok", "budget <= 1024) ok");
    }
}
