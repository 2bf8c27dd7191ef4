package io.github.mcpoauth.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.mcpoauth.client.McpOAuthClient;
import io.github.mcpoauth.client.TokenStore;
import io.github.mcpoauth.client.mcpsdk.McpSdkAuthorization;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.examples.jetty.DemoLoginServlet;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * mcp-oauth-client, through the MCP Java SDK, against the example server over real HTTP: login (demo login form
 * and consent page, driven headlessly), {@code tools/list}, refresh, and step-up to a scope that tool calls need.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JavaClientAgainstExampleTest {

    @TempDir
    Path dir;

    /** The example's wiring, plus a "tools" scope that every tools/call needs (so that step-up happens). */
    private static void installWithToolsScope(org.eclipse.jetty.ee10.servlet.ServletContextHandler ctx, URI issuer) {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer(issuer)
                .resource(issuer + ExampleServer.MCP_PATH).scopes(Set.of("mcp", "tools")).build();
        ctx.addServletContainerInitializer(McpOAuth.builder().settings(settings)
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute(DemoLoginServlet.SESSION_USER,
                        ExampleServer.LOGIN_PATH))
                .requiredScopes(Set.of("mcp"))
                .scopeRules(McpScopeRules.builder().method("tools/call", "tools").build())
                .build().initializer());
    }

    @Test
    void whenJavaClientConnectsThenLoginToolsListRefreshAndStepUpWork() throws Exception {
        ExampleConfig config = ExampleConfig.ephemeral()
                .withAuthorizationInstaller(JavaClientAgainstExampleTest::installWithToolsScope);
        try (RunningExample example = ExampleServer.start(config)) {
            HeadlessLogin browser = new HeadlessLogin("alice", "alice-password");
            MovableClock clock = new MovableClock(Instant.now());
            TokenStore store = TokenStore.file(dir.resolve("tokens.json"));
            McpOAuthClient oauth = McpOAuthClient.builder(example.mcpUri()).clientName("java-client-test")
                    .authorizationUrlHandler(browser).tokenStore(store).clock(clock)
                    .requestTimeout(Duration.ofSeconds(30)).loginTimeout(Duration.ofSeconds(60)).build();
            HttpClientStreamableHttpTransport transport = McpSdkAuthorization.configure(
                    HttpClientStreamableHttpTransport.builder(example.baseUri().toString())
                            .endpoint(ExampleServer.MCP_PATH), oauth).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                    .clientInfo(new McpSchema.Implementation("java-client-test", "1.0.0")).build()) {
                // login
                client.initialize();
                assertThat(browser.logins).hasValue(1);
                assertThat(browser.consents).hasValue(1);

                // tools/list
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("whoami", "echo");

                // refresh: the client's clock says the token is about to expire
                String before = oauth.authorizationHeader().orElseThrow();
                clock.advance(Duration.ofDays(1));
                String after = oauth.authorizationHeader().orElseThrow();
                assertThat(after).isNotEqualTo(before);
                assertThat(client.listTools().tools()).isNotEmpty();
                assertThat(browser.authorizations).hasValue(1);

                // step-up: tools/call needs "tools"; the 403 names it, the client authorizes again for the union
                McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));
                assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
                assertThat(result.content().toString()).contains("alice").contains("mcp tools");
                assertThat(browser.authorizations).hasValue(2);
                assertThat(browser.logins).as("the login session is reused").hasValue(1);
                assertThat(store.tokens(example.mcpUri().toString())).hasValueSatisfying(
                        t -> assertThat(t.scopes()).contains("mcp", "tools"));
            }
        }
    }

    /** A clock the test moves forward by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
