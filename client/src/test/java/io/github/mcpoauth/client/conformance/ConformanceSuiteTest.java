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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every {@code auth/*} client scenario of the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}, pinned with node 22 by {@code interop/conformance/package-lock.json})
 * against {@link ConformanceClient}, one after the other, with no expected-failures list: each scenario of the
 * 2025-11-25 and 2026-07-28 revisions at that revision, then every other {@code auth/*} scenario the suite lists
 * (2025-03-26 back-compat, and the extensions). When all pass it writes {@code target/conformance-ran.txt} listing
 * them, which the CI script checks.
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
    /** The spec revisions whose scenarios run at that revision's wire (2026-07-28: the stateless lifecycle). */
    private static final List<String> SPEC_VERSIONS = List.of("2025-11-25", "2026-07-28");
    private static final Pattern RESULT = Pattern.compile("Passed: (\\d+)/(\\d+), (\\d+) failed");

    @Test
    void whenEveryAuthClientScenarioRunsThenEveryOnePasses() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                .normalize();
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

        // every auth client scenario at each spec revision that has it, then the rest (2025-03-26 back-compat and
        // the extensions: client credentials, enterprise-managed authorization, DPoP, DPoP nonce, WIF) as listed
        List<String[]> runs = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        for (String revision : SPEC_VERSIONS) {
            for (String scenario : authScenarios(node, cli, suiteDir, List.of("--spec-version", revision))) {
                runs.add(new String[] {scenario, revision});
                covered.add(scenario);
            }
        }
        List<String> all = authScenarios(node, cli, suiteDir, List.of());
        for (String scenario : all) {
            if (!covered.contains(scenario)) {
                runs.add(new String[] {scenario, null});
            }
        }
        // the suite's own names, so that a silently shrunken list cannot pass
        assertThat(all).contains("auth/metadata-default", "auth/basic-cimd", "auth/scope-step-up",
                "auth/scope-retry-limit", "auth/pre-registration", "auth/resource-mismatch",
                "auth/authorization-server-migration", "auth/iss-wrong-issuer", "auth/metadata-issuer-mismatch",
                "auth/2025-03-26-oauth-endpoint-fallback", "auth/client-credentials-jwt",
                "auth/client-credentials-basic", "auth/enterprise-managed-authorization", "auth/dpop",
                "auth/dpop-nonce", "auth/wif-jwt-bearer");
        assertThat(runs.stream().filter(r -> "2026-07-28".equals(r[1]))).hasSizeGreaterThanOrEqualTo(20);

        Path launcher = writeLauncher(target);
        Path results = target.resolve("conformance-results");
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> passed = new ArrayList<>();
        for (String[] r : runs) {
            String label = r[0] + (r[1] == null ? "" : " @" + r[1]);
            List<String> command = new ArrayList<>(List.of(node, cli, "client", "--scenario", r[0], "--command",
                    launcher.toString(), "--timeout", String.valueOf(CLIENT_TIMEOUT_MS), "-o", results.toString()));
            if (r[1] != null) {
                command.addAll(List.of("--spec-version", r[1]));
            }
            ProcessResult result = run(command, suiteDir, SCENARIO_TIMEOUT);
            Matcher counts = RESULT.matcher(result.output());
            boolean ok = result.exitCode() == 0 && result.output().contains("OVERALL: PASSED") && counts.find()
                    && counts.group(3).equals("0");
            System.out.println("[conformance] " + label + ": " + (ok ? "PASSED" : "FAILED"));
            if (ok) {
                passed.add(label);
            } else {
                failures.put(label, result.tail());
            }
        }
        if (!failures.isEmpty()) {
            fail("conformance scenarios failed: " + failures.keySet() + "\n" + failures);
        }
        Files.writeString(marker, "conformance ran at " + Instant.now() + " (" + version.output().trim() + ")\n"
                + String.join("\n", passed) + "\n", StandardCharsets.UTF_8);
    }

    private static List<String> authScenarios(String node, String cli, Path dir, List<String> filter)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(node, cli, "list", "--client"));
        command.addAll(filter);
        ProcessResult list = run(command, dir, Duration.ofMinutes(2));
        assertThat(list.exitCode()).as("conformance list %s:%n%s", filter, list.tail()).isZero();
        List<String> out = new ArrayList<>();
        Matcher m = AUTH_SCENARIO.matcher(list.output());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
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
