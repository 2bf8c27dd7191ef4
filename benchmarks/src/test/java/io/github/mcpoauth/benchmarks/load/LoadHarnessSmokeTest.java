package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the side-by-side load harness (a few seconds, with its default generator: the lean HTTP client):
 * both servers start, every operation runs on both without an error, and the report prints every row and budget. Speed is not asserted here: the figures belong in
 * docs/performance.md. Needs node and the MCP TypeScript SDK in {@code interop/node_modules} (the examples module's
 * interop test runs {@code npm ci} there earlier in the build); without them the test is skipped, unless
 * {@code CI=true}, where it fails.
 */
class LoadHarnessSmokeTest {

    @Test
    void whenTheHarnessRunsBrieflyThenEveryOperationCompletesOnBothSidesWithoutErrors() throws Exception {
        Path interop = Path.of("..", "interop");
        if (!Files.isDirectory(interop.resolve("node_modules/@modelcontextprotocol/sdk")) || !nodeRuns()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but node or interop/node_modules (npm ci in interop/) is missing");
            }
            Assumptions.abort("node or interop/node_modules missing: run npm ci in interop/");
        }

        List<LoadHarness.Row> rows = LoadHarness.run(LoadOptions.smoke(interop), line -> { });

        assertThat(rows).extracting(LoadHarness.Row::operation).hasSize(8);
        for (LoadHarness.Row row : rows) {
            assertThat(row.ours().errors()).as("%s on mcp-oauth: %s", row.operation(), row.ours().firstError())
                    .isZero();
            assertThat(row.ours().ops()).as(row.operation()).isPositive();
            if (row.reference() != null) {
                assertThat(row.reference().errors())
                        .as("%s on the reference: %s", row.operation(), row.reference().firstError()).isZero();
                assertThat(row.reference().ops()).as(row.operation()).isPositive();
            }
        }
        assertThat(Report.table(rows)).contains("full flow (authorize + code exchange)", "ratio",
                "generator CPU per operation", "connection retries");
        assertThat(Report.budgets(rows)).contains("full flows/s vs the TS reference", "errors");
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
