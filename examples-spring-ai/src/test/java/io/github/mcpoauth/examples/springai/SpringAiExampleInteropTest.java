package io.github.mcpoauth.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.examples.interop.TypeScriptSdkInteropTest;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        try (ConfigurableApplicationContext app = start()) {
            URI base = URI.create(app.getEnvironment().getProperty("mcp.oauth.issuer"));
            assertThat(TypeScriptSdkInteropTest.runFlow(base, List.of("--require-oauth"))).isEqualTo("oauth");
        }
    }

    /** On a port found free just before (the issuer names it); again on another if it was taken meanwhile. */
    private static ConfigurableApplicationContext start() {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                return new SpringApplicationBuilder(SpringAiExampleApplication.class)
                        .run("--server.port=" + port, "--server.address=127.0.0.1",
                                "--mcp.oauth.issuer=http://127.0.0.1:" + port, "--spring.main.banner-mode=off",
                                // under target/: Spring Boot's default, in the temp directory, outlives the run
                                "--server.tomcat.basedir=target/tomcat-" + port);
            } catch (RuntimeException e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException || c.getClass().getSimpleName().equals("PortInUseException")) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
