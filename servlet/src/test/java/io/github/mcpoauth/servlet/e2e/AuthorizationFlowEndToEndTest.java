package io.github.mcpoauth.servlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole flow over real HTTP against Jetty: metadata, registration, authorization with login and consent,
 * token, refresh with rotation, reuse detection, revocation and introspection.
 */
class AuthorizationFlowEndToEndTest {

    private TestServer server;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.builder().start();
        browser = new Browser();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void whenClientWalksTheWholeFlowThenEveryStepAnswersPerSpec() throws Exception {
        // Discovery (RFC 8414)
        HttpResponse<String> meta = browser.get(server.uri("/.well-known/oauth-authorization-server"));
        assertThat(meta.statusCode()).isEqualTo(200);
        JsonNode m = McpClient.json(meta);
        assertThat(m.get("issuer").asText()).isEqualTo(server.baseUri().toString());
        assertThat(m.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(m.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(m.get("registration_endpoint").asText()).isEqualTo(server.baseUri() + "/oauth2/register");
        assertThat(browser.get(server.uri("/.well-known/openid-configuration")).statusCode()).isEqualTo(200);

        // Registration (RFC 7591)
        McpClient client = new McpClient(server, browser);
        HttpResponse<String> reg = client.registerPublic();
        assertThat(reg.statusCode()).isEqualTo(201);
        assertThat(reg.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(McpClient.json(reg).has("client_secret")).isFalse();

        // Authorization: login, then consent, then a redirect with code, state and iss (RFC 9207)
        McpClient.Pkce pkce = McpClient.pkce();
        URI callback = client.authorize(pkce, "st-1", "alice");
        Map<String, String> q = Browser.query(callback);
        assertThat(callback.toString()).startsWith(client.redirectUri());
        assertThat(q).containsEntry("state", "st-1").containsEntry("iss", server.baseUri().toString())
                .containsKey("code");

        // Token
        HttpResponse<String> tok = client.redeem(q.get("code"), pkce.verifier());
        assertThat(tok.statusCode()).isEqualTo(200);
        assertThat(tok.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode t = McpClient.json(tok);
        String access = t.get("access_token").asText();
        assertThat(AccessTokenClaims.isCompact(access)).as("same-app: compact").isTrue();
        JWTClaimsSet at = AccessTokenClaims.of(server.oauth(), access);
        assertThat(at.getSubject()).isEqualTo("alice");
        assertThat(at.getAudience()).containsExactly(server.baseUri() + "/mcp");
        assertThat(at.getStringClaim("client_id")).isEqualTo(client.clientId());
        String refresh1 = t.get("refresh_token").asText();

        // Refresh rotates
        HttpResponse<String> ref = client.refresh(refresh1);
        assertThat(ref.statusCode()).isEqualTo(200);
        String refresh2 = McpClient.json(ref).get("refresh_token").asText();
        String access2 = McpClient.json(ref).get("access_token").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);

        // Reuse of the rotated-out token fails and kills the grant
        HttpResponse<String> reuse = client.refresh(refresh1);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(reuse).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(McpClient.json(client.refresh(refresh2)).get("error").asText()).isEqualTo("invalid_grant");

        // A new authorization skips consent (remembered), then revoke and introspect
        McpClient.Pkce pkce2 = McpClient.pkce();
        HttpResponse<String> again = browser.get(client.authorizeUri(pkce2, "st-2"));
        assertThat(again.statusCode()).isEqualTo(302);
        Map<String, String> q2 = Browser.query(Browser.location(again));
        JsonNode t2 = McpClient.json(client.redeem(q2.get("code"), pkce2.verifier()));
        String access3 = t2.get("access_token").asText();

        McpClient resourceServer = new McpClient(server, new Browser());
        assertThat(resourceServer.register("client_secret_basic").statusCode()).isEqualTo(201);
        JsonNode active = McpClient.json(resourceServer.authenticated(server.uri("/oauth2/introspect"),
                Map.of("token", List.of(access3))));
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("sub").asText()).isEqualTo("alice");
        JsonNode revokedFamily = McpClient.json(resourceServer.authenticated(server.uri("/oauth2/introspect"),
                Map.of("token", List.of(access2))));
        assertThat(revokedFamily.get("active").asBoolean()).isFalse();

        HttpResponse<String> revoke = client.authenticated(server.uri("/oauth2/revoke"),
                Map.of("token", List.of(t2.get("refresh_token").asText())));
        assertThat(revoke.statusCode()).isEqualTo(200);
        JsonNode inactive = McpClient.json(resourceServer.authenticated(server.uri("/oauth2/introspect"),
                Map.of("token", List.of(access3))));
        assertThat(inactive.toString()).isEqualTo("{\"active\":false}");
    }
}
