package io.github.mcpoauth.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.examples.interop.TypeScriptSdkInteropTest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot example (Spring Security form login, MCP Java SDK) passes the same TypeScript SDK flow as the
 * Jetty example: {@code interop/oauth-flow.mjs} run by the examples module's {@link TypeScriptSdkInteropTest}
 * (discovery, registration, Spring Security login, consent, token, tools, refresh, replay refused). Skipped without
 * node &ge; 20, failed instead when {@code CI=true}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SpringExampleInteropTest {

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
        try (ConfigurableApplicationContext app = SpringExample.start()) {
            URI base = SpringExample.baseUri(app);
            assertThat(TypeScriptSdkInteropTest.runFlow(base, List.of("--require-oauth"))).isEqualTo("oauth");
        }
    }
}
