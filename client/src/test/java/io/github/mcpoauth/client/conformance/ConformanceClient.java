package io.github.mcpoauth.client.conformance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mcpoauth.client.AuthorizationUrlHandler;
import io.github.mcpoauth.client.ClientCredentials;
import io.github.mcpoauth.client.EnterpriseAuthorization;
import io.github.mcpoauth.client.McpOAuthClient;
import io.github.mcpoauth.client.mcpsdk.McpSdkAuthorization;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The client the MCP conformance suite starts for each {@code auth/*} scenario: {@code ConformanceClient <server
 * url>}, with the scenario in {@code MCP_CONFORMANCE_SCENARIO} and its credentials in
 * {@code MCP_CONFORMANCE_CONTEXT}. It uses only the public API: the MCP Java SDK's streamable HTTP transport wired
 * with {@link McpSdkAuthorization}, and a headless {@link AuthorizationUrlHandler} that plays the browser (the
 * suite's authorization server redirects at once, as if the user had consented).
 */
public final class ConformanceClient {

    /** The client ID metadata document URL the suite expects a client to present. */
    static final URI CIMD_URL = URI.create("https://conformance-test.local/client-metadata.json");
    /** MCP revisions without the initialize handshake (SEP-2575), which the MCP Java SDK 2.1 does not speak yet. */
    static final java.util.Set<String> STATELESS_VERSIONS = java.util.Set.of("2026-07-28");

    private ConformanceClient() {
    }

    /**
     * @param args the MCP server URL
     */
    public static void main(String[] args) throws Exception {
        String scenario = System.getenv().getOrDefault("MCP_CONFORMANCE_SCENARIO", "");
        JsonNode context = new ObjectMapper().readTree(System.getenv().getOrDefault("MCP_CONFORMANCE_CONTEXT", "{}"));
        URI server = URI.create(args[0]);
        try {
            run(server, scenario, context, System.getenv().getOrDefault("MCP_CONFORMANCE_PROTOCOL_VERSION", ""));
            System.exit(0);
        } catch (Throwable e) {
            System.err.println("conformance client failed: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                System.err.println("  caused by: " + c);
            }
            System.exit(1);
        }
    }

    static void run(URI server, String scenario, JsonNode ctx, String protocolVersion) throws Exception {
        McpOAuthClient.Builder oauth = McpOAuthClient.builder(server).clientName("mcp-oauth-conformance")
                .authorizationUrlHandler(headlessBrowser()).requestTimeout(Duration.ofSeconds(20))
                .loginTimeout(Duration.ofSeconds(30)).clientMetadataDocument(CIMD_URL);
        String clientId = ctx.path("client_id").asText();
        ClientCredentials secretBasic = ctx.has("client_secret")
                ? ClientCredentials.secretBasic(clientId, ctx.path("client_secret").asText()) : null;
        switch (scenario) {
            case "auth/client-credentials-basic" -> oauth.clientCredentialsGrant(secretBasic);
            case "auth/client-credentials-jwt" -> oauth.clientCredentialsGrant(
                    ClientCredentials.privateKeyJwtFromPem(clientId, ctx.path("private_key_pem").asText()));
            case "auth/pre-registration" -> oauth.preRegistered(secretBasic);
            case "auth/cross-app-access-complete-flow", "auth/enterprise-managed-authorization" -> oauth.jwtBearerGrant(
                    secretBasic, EnterpriseAuthorization.idJag(URI.create(ctx.path("idp_token_endpoint").asText()),
                            ClientCredentials.none(ctx.path("idp_client_id").asText()),
                            () -> ctx.path("idp_id_token").asText(), Duration.ofSeconds(20), Clock.systemUTC()));
            case "auth/wif-jwt-bearer" -> oauth.jwtBearerGrant(ClientCredentials.none(clientId),
                    (issuer, resource) -> ctx.path("valid_jwt").asText());
            case "auth/dpop", "auth/dpop-nonce" -> oauth.dpop(true);
            default -> {
                // every other auth scenario: the interactive authorization code flow
            }
        }
        if (STATELESS_VERSIONS.contains(protocolVersion)) {
            new StatelessMcp(server, oauth.build(), protocolVersion).listAndCall();
            return;
        }
        HttpClientStreamableHttpTransport transport = McpSdkAuthorization
                .configure(HttpClientStreamableHttpTransport.builder(origin(server)).endpoint(server.getRawPath()),
                        oauth.build())
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("mcp-oauth-conformance", "1.0.0")).build()) {
            client.initialize();
            McpSchema.ListToolsResult tools = client.listTools();
            if (tools.tools().stream().anyMatch(t -> t.name().equals("test-tool"))) {
                client.callTool(new McpSchema.CallToolRequest("test-tool", Map.of()));
            }
        }
    }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** Plays the browser: asks the authorization endpoint, then delivers its redirect to the loopback listener. */
    static AuthorizationUrlHandler headlessBrowser() {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build();
        return url -> {
            HttpResponse<Void> authz = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding());
            String location = authz.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException("no redirect from the authorization endpoint"));
            http.send(HttpRequest.newBuilder(url.resolve(location)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding());
        };
    }
}
