package io.github.mcpoauth.servlet.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.servlet.multinode.Nodes.Code;
import io.github.mcpoauth.servlet.multinode.Nodes.Tokens;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes of one authorization server over real HTTP, as behind a load balancer: two Jetty servers, each with its
 * own {@code McpOAuth} and {@code JdbcStores}, sharing one PostgreSQL database and one issuer (node A's address).
 * The test client picks the node of each request; the browser (and its session) stays with A.
 */
@Timeout(120)
class MultiNodeEndToEndTest {

    private static TestServer a;
    private static TestServer b;
    private static URI issuer;

    private Browser browser;
    private McpClient client;

    @BeforeAll
    static void startNodes() throws Exception {
        var database = EmbeddedPostgresDatabase.newMigratedDataSource();
        a = Nodes.start(database, null, 0);
        issuer = a.baseUri();
        b = Nodes.start(database, issuer, 0);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        Nodes.stop(b, a);
    }

    @BeforeEach
    void registerOnA() throws Exception {
        browser = new Browser();
        client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
    }

    @Test
    void whenCodeIssuedOnAIsRedeemedOnBThenBIssuesTokensForTheSharedIssuer() throws Exception {
        Code code = Nodes.authorize(client, "alice");

        HttpResponse<String> onB = Nodes.redeem(client, b, code);

        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        JWTClaimsSet claims = AccessTokenClaims.of(b.oauth(), Tokens.of(onB).accessToken());
        assertThat(claims.getIssuer()).isEqualTo(issuer.toString());
        assertThat(claims.getAudience()).containsExactly(issuer + "/mcp");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(client.clientId());
        HttpResponse<String> replayOnA = Nodes.redeem(client, a, code);
        assertThat(replayOnA.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(replayOnA).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void whenCodeIsRedeemedOnAAndBAtOnceThenExactlyOneGetsTokens() throws Exception {
        Code code = Nodes.authorize(client, "alice");

        List<HttpResponse<String>> responses = Concurrently.run(2, Duration.ofSeconds(30),
                i -> unchecked(() -> Nodes.redeem(client, i == 0 ? a : b, code)));

        assertExactlyOneWinsAndTheOtherGetsInvalidGrant(responses);
    }

    @Test
    void whenOneRefreshTokenIsPresentedToAAndBAtOnceThenExactlyOneWinsAndTheOtherGetsInvalidGrant()
            throws Exception {
        for (int round = 0; round < 5; round++) {
            Tokens tokens = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));

            List<HttpResponse<String>> responses = Concurrently.run(2, Duration.ofSeconds(30),
                    i -> unchecked(() -> Nodes.refresh(client, i == 0 ? a : b, tokens.refreshToken())));

            assertExactlyOneWinsAndTheOtherGetsInvalidGrant(responses);
            HttpResponse<String> again = Nodes.refresh(client, b, tokens.refreshToken());
            assertThat(again.statusCode()).as("the rotated-out token, round %d", round).isEqualTo(400);
        }
    }

    @Test
    void whenAccessTokenIssuedByAIsPresentedToBThenBsGuardLetsItThrough() throws Exception {
        Tokens fromA = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));

        HttpResponse<String> onB = Nodes.callMcp(browser, b, fromA.accessToken());

        assertThat(onB.statusCode()).isEqualTo(200);
        assertThat(onB.body()).isEqualTo("alice");
        HttpResponse<String> anonymousOnB = Nodes.callMcp(browser, b, null);
        assertThat(anonymousOnB.statusCode()).isEqualTo(401);
        assertThat(anonymousOnB.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer ")
                .contains("resource_metadata=\"" + issuer + "/.well-known/oauth-protected-resource/mcp\"");
        Tokens fromB = Tokens.of(Nodes.refresh(client, b, fromA.refreshToken()));
        HttpResponse<String> onA = Nodes.callMcp(browser, a, fromB.accessToken());
        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(onA.body()).isEqualTo("alice");
    }

    @Test
    void whenGrantIsRevokedOnAThenBRefusesItsTokensWithinTheStalenessBound() throws Exception {
        McpClient resourceServer = new McpClient(b, new Browser());
        assertThat(resourceServer.register("client_secret_basic").statusCode()).isEqualTo(201);
        Tokens tokens = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "bob")));
        assertThat(Nodes.callMcp(browser, b, tokens.accessToken()).statusCode()).isEqualTo(200);
        assertThat(introspect(resourceServer, b, tokens.accessToken()).get("active").asBoolean()).isTrue();

        HttpResponse<String> revoke = client.authenticated(a.uri("/oauth2/revoke"),
                Map.of("token", List.of(tokens.refreshToken())));

        long revokedAt = System.nanoTime();
        assertThat(revoke.statusCode()).isEqualTo(200);
        HttpResponse<String> onB = Nodes.callMcpUntilRefused(browser, b, tokens.accessToken(), revokedAt).response();
        assertThat(onB.statusCode()).isEqualTo(401);
        assertThat(onB.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(introspect(resourceServer, b, tokens.accessToken()).toString()).isEqualTo("{\"active\":false}");
        HttpResponse<String> refreshOnB = Nodes.refresh(client, b, tokens.refreshToken());
        assertThat(refreshOnB.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(refreshOnB).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void whenBothNodesServeJwksThenTheyPublishTheSameKeysAndAsTokensVerifyAgainstBs() throws Exception {
        Tokens fromA = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));

        HttpResponse<String> jwksA = browser.get(a.uri("/oauth2/jwks"));
        HttpResponse<String> jwksB = browser.get(b.uri("/oauth2/jwks"));

        assertThat(jwksA.statusCode()).isEqualTo(200);
        assertThat(jwksB.statusCode()).isEqualTo(200);
        assertThat(McpClient.json(jwksB)).isEqualTo(McpClient.json(jwksA));
        String tag = AccessTokenClaims.keyTag(fromA.accessToken());
        assertThat(McpClient.json(jwksB).get("keys").findValuesAsText("kid").stream().map(AccessTokenClaims::tagOf))
                .contains(tag);
        assertThat(McpClient.json(jwksB).get("keys").findValues("d")).as("no private key material").isEmpty();
    }

    @Test
    void whenBothNodesServeMetadataThenTheyNameTheSharedIssuer() throws Exception {
        JsonNode onA = McpClient.json(browser.get(a.uri("/.well-known/oauth-authorization-server")));
        JsonNode onB = McpClient.json(browser.get(b.uri("/.well-known/oauth-authorization-server")));

        assertThat(onB).isEqualTo(onA);
        assertThat(onB.get("issuer").asText()).isEqualTo(issuer.toString());
        assertThat(onB.get("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
    }

    private static JsonNode introspect(McpClient resourceServer, TestServer node, String token) throws IOException,
            InterruptedException {
        HttpResponse<String> r = resourceServer.authenticated(node.uri("/oauth2/introspect"),
                Map.of("token", List.of(token)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return McpClient.json(r);
    }

    private static void assertExactlyOneWinsAndTheOtherGetsInvalidGrant(List<HttpResponse<String>> responses)
            throws IOException {
        assertThat(responses).extracting(HttpResponse::statusCode).as(responses.toString())
                .containsExactlyInAnyOrder(200, 400);
        HttpResponse<String> loser = responses.stream().filter(r -> r.statusCode() == 400).findFirst().orElseThrow();
        assertThat(McpClient.json(loser).get("error").asText()).isEqualTo("invalid_grant");
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private static HttpResponse<String> unchecked(Call call) {
        try {
            return call.send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
