package io.github.mcpoauth.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.client.AssertionSource;
import io.github.mcpoauth.client.ClientCredentials;
import io.github.mcpoauth.client.McpOAuthClient;
import io.github.mcpoauth.client.mcpsdk.McpSdkAuthorization;
import io.github.mcpoauth.examples.jetty.DemoMachineClients;
import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mcp-oauth-client's machine flows against the example over real HTTP, with the example's demo machine clients and
 * demo issuers ({@link DemoMachineClients}): client credentials with a secret and with private_key_jwt, the JWT
 * bearer grant with a workload identity token, and enterprise-managed authorization with an ID-JAG; each gets a
 * token, lists the tools and calls {@code whoami}, which shows whom the token names.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MachineFlowsAgainstExampleTest {

    private static DemoMachineClients demo;
    private static RunningExample example;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoMachineClients.generate(java.time.Clock.systemUTC());
        example = ExampleServer.start(ExampleConfig.ephemeral()
                .withAuthorizationInstaller(ExampleServer.authorization(null, demo)));
    }

    @AfterAll
    static void stop() {
        if (example != null) {
            example.close();
        }
    }

    /** Connects with {@code oauth}, lists the tools, and returns what {@code whoami} says. */
    private static String whoami(McpOAuthClient oauth) {
        HttpClientStreamableHttpTransport transport = McpSdkAuthorization.configure(
                HttpClientStreamableHttpTransport.builder(example.baseUri().toString())
                        .endpoint(ExampleServer.MCP_PATH), oauth).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("machine-test", "1.0.0")).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("whoami");
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            return result.content().toString();
        }
    }

    private static McpOAuthClient.Builder client() {
        return McpOAuthClient.builder(example.mcpUri()).requestTimeout(Duration.ofSeconds(30));
    }

    @Test
    void whenClientCredentialsWithSecretThenToolsAnswerAsTheClient() {
        McpOAuthClient oauth = client().clientCredentialsGrant(
                ClientCredentials.secretBasic(DemoMachineClients.SECRET_CLIENT, demo.secret())).build();

        assertThat(whoami(oauth)).contains(DemoMachineClients.SECRET_CLIENT);
    }

    @Test
    void whenClientCredentialsWithPrivateKeyJwtThenToolsAnswerAsTheClient() throws Exception {
        McpOAuthClient oauth = client().clientCredentialsGrant(ClientCredentials.privateKeyJwt(
                DemoMachineClients.KEY_CLIENT, demo.clientKey().toPrivateKey(), demo.clientKey().getKeyID())).build();

        assertThat(whoami(oauth)).contains(DemoMachineClients.KEY_CLIENT);
    }

    @Test
    void whenJwtBearerWithWorkloadTokenThenToolsAnswerAsTheWorkload() {
        AssertionSource workload = (issuer, resource) -> demo.workloadAssertion("repo:acme/deploy");
        McpOAuthClient oauth = client().jwtBearerGrant(
                ClientCredentials.secretBasic(DemoMachineClients.SECRET_CLIENT, demo.secret()), workload).build();

        assertThat(whoami(oauth)).contains("workload:repo:acme/deploy");
    }

    @Test
    void whenIdJagFromTheEnterpriseIdpThenToolsAnswerAsTheUser() {
        AssertionSource idJag = (issuer, resource) -> demo.idJag("carol@acme.example",
                DemoMachineClients.KEY_CLIENT, resource, "mcp");
        McpOAuthClient oauth = client().jwtBearerGrant(ClientCredentials.privateKeyJwt(DemoMachineClients.KEY_CLIENT,
                toPrivate(), demo.clientKey().getKeyID()), idJag).build();

        assertThat(whoami(oauth)).contains("carol@acme.example");
    }

    private static java.security.PrivateKey toPrivate() {
        try {
            return demo.clientKey().toPrivateKey();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
