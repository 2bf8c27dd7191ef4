package io.github.mcpoauth.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.examples.interop.TypeScriptSdkInteropTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring AI example passes the same TypeScript SDK flow as the Jetty example ({@code interop/oauth-flow.mjs},
 * run by the examples module's {@link TypeScriptSdkInteropTest}). Skipped without node &ge; 20, failed instead
 * when {@code CI=true}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SpringAiExampleInteropTest {

    @BeforeAll
    static void prepareNode() throws Exception {
        TypeScriptSdkInteropTest.prepareNodeProject();
    }

    @BeforeEach
    void requireNode() {
        TypeScriptSdkInteropTest.assumeNode();
    }

    @Test
    void whenTheTypeScriptSdkClientRunsTheOAuthFlowThenItPasses() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SpringAiExampleApplication.class)
                .run("--server.port=" + port, "--server.address=127.0.0.1", "--mcp.oauth.issuer=" + base,
                        "--spring.main.banner-mode=off")) {
            assertThat(TypeScriptSdkInteropTest.runFlow(base, List.of("--require-oauth"))).isEqualTo("oauth");
        }
    }
}
