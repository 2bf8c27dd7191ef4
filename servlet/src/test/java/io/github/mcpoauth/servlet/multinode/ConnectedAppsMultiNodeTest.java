package io.github.mcpoauth.servlet.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.servlet.multinode.Nodes.Tokens;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connected apps on two nodes sharing one PostgreSQL database: the user lists and revokes a grant over real HTTP on
 * node A (where the browser's session lives), and the revoked client's access and refresh tokens stop working on
 * both nodes at once, with no wait for a cache.
 */
@Timeout(120)
class ConnectedAppsMultiNodeTest {

    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void startNodes() throws Exception {
        var database = EmbeddedPostgresDatabase.newMigratedDataSource();
        a = Nodes.start(database, null, 0);
        b = Nodes.start(database, a.baseUri(), 0);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        Nodes.stop(b, a);
    }

    /** The listed apps of {@code client}, in the listed order. */
    private static List<JsonNode> mine(HttpResponse<String> list, McpClient client) throws Exception {
        List<JsonNode> apps = new ArrayList<>();
        McpClient.json(list).get("apps").forEach(app -> {
            if (app.get("client_id").asText().equals(client.clientId())) {
                apps.add(app);
            }
        });
        return apps;
    }

    @Test
    void whenUserRevokesAppOnAThenItsAccessAndRefreshTokensFailOnBothNodes() throws Exception {
        Browser browser = new Browser();
        McpClient client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        Tokens tokens = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));
        Tokens spare = Tokens.of(Nodes.redeem(client, b, Nodes.authorize(client, "alice")));
        assertThat(Nodes.callMcp(browser, a, tokens.accessToken()).statusCode()).isEqualTo(200);
        assertThat(Nodes.callMcp(browser, b, tokens.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> list = browser.get(a.uri("/connected-apps/api"));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<JsonNode> apps = mine(list, client); // other tests' grants of alice share the database
        assertThat(apps).hasSize(2);
        JsonNode first = apps.get(1); // newest first: the grant of `tokens` is the older one
        assertThat(first.get("client_id").asText()).isEqualTo(client.clientId());
        assertThat(first.get("client_name").asText()).isEqualTo("Test MCP Client");
        assertThat(first.get("scopes").get(0).asText()).isEqualTo("mcp");
        assertThat(first.get("resources").get(0).asText()).isEqualTo(a.baseUri() + "/mcp");
        String grantId = first.get("grant_id").asText();

        HttpResponse<String> revoke = browser.http().send(HttpRequest.newBuilder(
                a.uri("/connected-apps/api/" + grantId)).timeout(Duration.ofSeconds(10))
                .header("Origin", a.baseUri().toString()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        long revokedAt = System.nanoTime();
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);

        assertThat(Nodes.callMcp(browser, a, tokens.accessToken()).statusCode()).as("at once on A").isEqualTo(401);
        assertThat(Nodes.callMcpUntilRefused(browser, b, tokens.accessToken(), revokedAt).response().statusCode())
                .as("on B within the staleness bound").isEqualTo(401);
        HttpResponse<String> refreshOnB = Nodes.refresh(client, b, tokens.refreshToken());
        assertThat(refreshOnB.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(refreshOnB).get("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> refreshOnA = Nodes.refresh(client, a, tokens.refreshToken());
        assertThat(refreshOnA.statusCode()).isEqualTo(400);
        // The other grant of the same client stays until the user removes it too.
        assertThat(Nodes.callMcp(browser, b, spare.accessToken()).statusCode()).isEqualTo(200);
        List<JsonNode> after = mine(browser.get(a.uri("/connected-apps/api")), client);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("grant_id").asText()).isNotEqualTo(grantId);
    }

    @Test
    void whenAnotherUserTriesToRevokeAGrantThenNotFoundAndTheTokensStillWork() throws Exception {
        Browser alice = new Browser();
        McpClient client = new McpClient(a, alice);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        Tokens tokens = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));
        String grantId = mine(alice.get(a.uri("/connected-apps/api")), client).get(0).get("grant_id").asText();
        Browser bob = new Browser();
        McpClient bobs = new McpClient(a, bob);
        assertThat(bobs.registerPublic().statusCode()).isEqualTo(201);
        Nodes.authorize(bobs, "bob");

        HttpResponse<String> revoke = bob.http().send(HttpRequest.newBuilder(URI.create(
                a.uri("/connected-apps/api/") + grantId)).timeout(Duration.ofSeconds(10)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(revoke.statusCode()).isEqualTo(404);
        assertThat(Nodes.callMcp(alice, b, tokens.accessToken()).statusCode()).isEqualTo(200);
    }
}
