package io.github.mcpoauth.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;

/** The CLI example against the example server: the first run logs in, the next one remembers its tokens. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class McpCliClientTest {

    @TempDir
    Path dir;

    @Test
    void whenRunTwiceThenTheSecondRunNeedsNoLogin() throws Exception {
        Path tokens = dir.resolve("tokens.json");
        try (RunningExample example = ExampleServer.start(ExampleConfig.ephemeral())) {
            HeadlessLogin firstBrowser = new HeadlessLogin("bob", "bob-password");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(McpCliClient.run(example.mcpUri(), firstBrowser, tokens, false,
                    new PrintStream(out, true, StandardCharsets.UTF_8))).contains("whoami", "echo");
            assertThat(firstBrowser.logins).hasValue(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("whoami").doesNotContain("Bearer");

            // a new process: no browser session, only the token file
            HeadlessLogin secondBrowser = new HeadlessLogin("bob", "bob-password");
            assertThat(McpCliClient.run(example.mcpUri(), secondBrowser, tokens, false,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).contains("whoami");
            assertThat(secondBrowser.authorizations).hasValue(0);

            // signed out: a new login, with the registration kept in the file
            HeadlessLogin thirdBrowser = new HeadlessLogin("bob", "bob-password");
            assertThat(McpCliClient.run(example.mcpUri(), thirdBrowser, tokens, true,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).contains("whoami");
            assertThat(thirdBrowser.authorizations).hasValue(1);
        }
    }
}
