package io.github.mcpoauth.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official MCP conformance suite's {@code dns-rebinding-protection} server scenario
 * ({@code @modelcontextprotocol/conformance}, pinned with node 22 by {@code interop/conformance/package-lock.json})
 * against the example's guarded {@code /mcp}.
 *
 * <p>Its rejection check ({@code localhost-host-rebinding-rejected}: {@code Host: evil.example.com},
 * {@code Origin: http://evil.example.com}) must pass, and with 403: any 4xx passes it, and a guard without the
 * Host/Origin check would answer 401 for the missing token, so the test also asserts the status. Its
 * "valid host accepted" check ({@code localhost-host-valid-accepted}) expects an MCP {@code initialize} without any
 * credentials to succeed, which a guarded endpoint never allows: here it shows that the server's own host and
 * origin pass the Host/Origin check and reach the token check (401 with the Bearer challenge, not 403), which is
 * asserted instead of its status.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DnsRebindingConformanceTest {

    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);

    @Test
    void whenDnsRebindingScenarioRunsThenForeignHostIsRejectedWith403AndOwnHostReachesTheTokenCheck()
            throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                .normalize();
        Path suiteDir = module.resolve("../interop/conformance").normalize();
        requireNpm();
        Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), suiteDir,
                NPM_CI_TIMEOUT);
        assertThat(npm.exitCode()).as("npm ci in %s:%n%s", suiteDir, npm.output()).isZero();
        String node = suiteDir.resolve("node_modules/.bin/node").toString();
        String cli = suiteDir.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString();
        Path results = module.resolve("target/conformance-dns-rebinding");
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral())) {
            Result run = run(List.of(node, cli, "server", "--url", example.mcpUri().toString(), "--scenario",
                    "dns-rebinding-protection", "-o", results.toString()), suiteDir, Duration.ofMinutes(2));
            Map<String, JsonNode> checks = checks(results);
            assertThat(checks).as("checks of the run:%n%s", run.output())
                    .containsKeys("localhost-host-rebinding-rejected", "localhost-host-valid-accepted");

            JsonNode rejected = checks.get("localhost-host-rebinding-rejected");
            assertThat(rejected.get("status").asText()).as(rejected.toString()).isEqualTo("SUCCESS");
            assertThat(rejected.at("/details/statusCode").asInt()).as(rejected.toString()).isEqualTo(403);

            JsonNode valid = checks.get("localhost-host-valid-accepted");
            assertThat(valid.at("/details/statusCode").asInt()).as(valid.toString()).isEqualTo(401);
        }
    }

    private static Map<String, JsonNode> checks(Path results) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        if (!Files.isDirectory(results)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(results)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("checks.json")).toList()) {
                for (JsonNode check : new ObjectMapper().readTree(f.toFile())) {
                    out.put(check.get("id").asText(), check);
                }
            }
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

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path dir, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("conformance", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            return new Result(p.exitValue(), out.length() <= 6000 ? out : out.substring(out.length() - 6000));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
