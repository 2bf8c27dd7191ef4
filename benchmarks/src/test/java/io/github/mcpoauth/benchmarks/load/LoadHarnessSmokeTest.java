package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the side-by-side load harness (a few seconds, with its default generator: the lean HTTP client), our
 * server in the harness's JVM and in one of its own: both servers start, every operation runs on both without an
 * error, and the report prints every row and budget. Speed is not asserted here: the figures belong in
 * docs/performance.md. Needs node and the MCP TypeScript SDK in {@code interop/node_modules} (the examples module's
 * interop test runs {@code npm ci} there earlier in the build); without them the test is skipped, unless
 * {@code CI=true}, where it fails.
 */
class LoadHarnessSmokeTest {

    @Test
    void whenTheHarnessRunsBrieflyThenEveryOperationCompletesOnBothSidesWithoutErrors() throws Exception {
        List<LoadHarness.Row> rows = LoadHarness.run(LoadOptions.smoke(interop()), line -> { });

        assertEveryOperationCompleted(rows);
    }

    @Test
    void whenOurServerRunsInAJvmOfItsOwnThenEveryOperationCompletesAndItsJvmIsReported() throws Exception {
        LoadOptions separate = LoadOptions.smoke(interop()).inSeparateJvm(Duration.ofSeconds(2));
        List<String> progress = new CopyOnWriteArrayList<>();

        List<LoadHarness.Row> rows = LoadHarness.run(separate, progress::add);

        assertEveryOperationCompleted(rows);
        assertThat(rows.get(0).operation()).isEqualTo("full flow, warmed 2 s (first 10)");
        assertThat(progress).anyMatch(line -> line.startsWith("starting our server in a JVM of its own"))
                .anyMatch(line -> line.matches("measured them \\(\\d+/s, \\d+ µs of server CPU each, 0 errors\\); "
                        + "meanwhile in our server's JVM the JIT compiled \\d+ ms.*, in the harness's the JIT compiled "
                        + "\\d+ ms.*"));
        // the server's CPU is its process's, read from the operating system: a full flow costs it some
        assertThat(rows.get(1).ours().cpuMicrosPerOp()).isPositive();
    }

    private static Path interop() {
        Path interop = Path.of("..", "interop");
        if (!Files.isDirectory(interop.resolve("node_modules/@modelcontextprotocol/sdk")) || !nodeRuns()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but node or interop/node_modules (npm ci in interop/) is missing");
            }
            Assumptions.abort("node or interop/node_modules missing: run npm ci in interop/");
        }
        return interop;
    }

    private static void assertEveryOperationCompleted(List<LoadHarness.Row> rows) {
        assertThat(rows).extracting(LoadHarness.Row::operation).hasSize(10)
                .contains(LoadHarness.STEADY_MEDIAN + " of " + LoadHarness.STEADY_RUNS + " runs of 10",
                        LoadHarness.STEADY_SLOWEST + " of " + LoadHarness.STEADY_RUNS + " runs of 10");
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
        assertThat(Report.budgets(rows)).contains("full flows/s vs the TS reference",
                "first flows/s vs median steady run", "slowest steady run vs median", "errors");
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
