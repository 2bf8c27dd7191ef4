package io.github.mcpoauth.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every {@code auth/*} client scenario of the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}, pinned with node 22 by {@code interop/conformance/package-lock.json})
 * against {@link ConformanceClient}, one scenario after the other, with no expected-failures list. When all pass it
 * writes {@code target/conformance-ran.txt} listing them, which the CI script checks.
 *
 * <p>Needs npm on the PATH (the node binary itself comes from the lockfile): without it the test is skipped, unless
 * {@code CI=true}, where it fails.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ConformanceSuiteTest {

    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SCENARIO_TIMEOUT = Duration.ofMinutes(3);
    /** What the suite gives our client per scenario: generous, for a loaded 2-core machine (JVM start included). */
    private static final int CLIENT_TIMEOUT_MS = 120_000;
    private static final Pattern AUTH_SCENARIO = Pattern.compile("^\\s*-\\s*(auth/[a-z0-9-]+)", Pattern.MULTILINE);
    private static final Pattern RESULT = Pattern.compile("Passed: (\\d+)/(\\d+), (\\d+) failed");

    @Test
    void whenEveryAuthClientScenarioRunsThenEveryOnePasses() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path suiteDir = module.resolve("../interop/conformance").normalize();
        Path target = module.resolve("target");
        Path marker = target.resolve("conformance-ran.txt");
        Files.deleteIfExists(marker);
        requireNpm();

        ProcessResult npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), suiteDir,
                NPM_CI_TIMEOUT);
        if (npm.exitCode() != 0) {
            npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), suiteDir, NPM_CI_TIMEOUT);
        }
        assertThat(npm.exitCode()).as("npm ci in %s:%n%s", suiteDir, npm.tail()).isZero();
        String node = suiteDir.resolve("node_modules/.bin/node").toString();
        String cli = suiteDir.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString();
        ProcessResult version = run(List.of(node, "--version"), suiteDir, Duration.ofMinutes(1));
        assertThat(version.output().trim()).as("the lockfile's node").startsWith("v22.");

        ProcessResult list = run(List.of(node, cli, "list", "--client"), suiteDir, Duration.ofMinutes(2));
        assertThat(list.exitCode()).as("conformance list:%n%s", list.tail()).isZero();
        List<String> scenarios = new ArrayList<>();
        Matcher m = AUTH_SCENARIO.matcher(list.output());
        while (m.find()) {
            scenarios.add(m.group(1));
        }
        // the suite's own names, so that a silently shrunken list cannot pass
        assertThat(scenarios).contains("auth/metadata-default", "auth/basic-cimd", "auth/scope-step-up",
                "auth/scope-retry-limit", "auth/pre-registration", "auth/resource-mismatch",
                "auth/2025-03-26-oauth-endpoint-fallback", "auth/client-credentials-jwt",
                "auth/client-credentials-basic", "auth/cross-app-access-complete-flow");

        Path launcher = writeLauncher(target);
        Path results = target.resolve("conformance-results");
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> passed = new ArrayList<>();
        for (String scenario : scenarios) {
            ProcessResult r = run(List.of(node, cli, "client", "--scenario", scenario, "--command", launcher.toString(),
                    "--timeout", String.valueOf(CLIENT_TIMEOUT_MS), "-o", results.toString()), suiteDir,
                    SCENARIO_TIMEOUT);
            Matcher counts = RESULT.matcher(r.output());
            boolean ok = r.exitCode() == 0 && r.output().contains("OVERALL: PASSED") && counts.find()
                    && counts.group(3).equals("0");
            System.out.println("[conformance] " + scenario + ": " + (ok ? "PASSED" : "FAILED"));
            if (ok) {
                passed.add(scenario);
            } else {
                failures.put(scenario, r.tail());
            }
        }
        if (!failures.isEmpty()) {
            fail("conformance scenarios failed: " + failures.keySet() + "\n" + failures);
        }
        Files.writeString(marker, "conformance ran at " + Instant.now() + " (" + version.output().trim() + ")\n"
                + String.join("\n", passed) + "\n", StandardCharsets.UTF_8);
    }

    private static void requireNpm() {
        try {
            if (run(List.of("npm", "--version"), Path.of("."), Duration.ofMinutes(1)).exitCode() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // falls through to the decision below
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but npm is not on the PATH; the conformance suite needs it");
        }
        Assumptions.abort("npm is not on the PATH; skipping the MCP conformance suite (it fails instead when CI=true)");
    }

    /** A shell script the suite can run as {@code <script> <server url>}: this JVM, the test class path. */
    private static Path writeLauncher(Path target) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path script = target.resolve("conformance-client.sh");
        Files.createDirectories(target);
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -cp '"
                + classPath + "' "
                + ConformanceClient.class.getName() + " \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    record ProcessResult(int exitCode, String output) {
        String tail() {
            return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
        }
    }

    private static ProcessResult run(List<String> command, Path dir, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("conformance", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                return new ProcessResult(-1, "timed out after " + timeout + "\n" + Files.readString(log));
            }
            return new ProcessResult(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
