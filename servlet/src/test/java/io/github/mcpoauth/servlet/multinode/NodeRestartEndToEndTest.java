package io.github.mcpoauth.servlet.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.servlet.multinode.Nodes.Code;
import io.github.mcpoauth.servlet.multinode.Nodes.Tokens;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node stopped and started again (a new JVM's worth of state: new {@code McpOAuth}, new stores, no sessions) on
 * the same PostgreSQL database, at the same address: clients, grants, consents and signing keys survive.
 */
@Timeout(120)
class NodeRestartEndToEndTest {

    private TestServer a;
    private TestServer restarted;

    @AfterEach
    void stop() throws Exception {
        if (restarted != null) {
            restarted.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void whenNodeRestartsOnTheSameDatabaseThenClientGrantsAndKeysSurvive() throws Exception {
        DataSource database = EmbeddedPostgresDatabase.newMigratedDataSource();
        a = Nodes.start(database, null, 0);
        URI issuer = a.baseUri();
        Browser browser = new Browser();
        McpClient client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        Tokens before = Tokens.of(Nodes.redeem(client, a, Nodes.authorize(client, "alice")));
        JsonNode jwksBefore = McpClient.json(browser.get(a.uri("/oauth2/jwks")));

        a.close();
        restarted = Nodes.start(database, null, issuer.getPort());

        assertThat(restarted.baseUri()).isEqualTo(issuer);
        assertThat(McpClient.json(browser.get(restarted.uri("/oauth2/jwks"))))
                .isEqualTo(jwksBefore);
        HttpResponse<String> oldAccessToken = Nodes.callMcp(browser, restarted, before.accessToken());
        assertThat(oldAccessToken.statusCode()).isEqualTo(200);
        assertThat(oldAccessToken.body()).isEqualTo("alice");
        HttpResponse<String> refresh = Nodes.refresh(client, restarted, before.refreshToken());
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
        Tokens after = Tokens.of(refresh);
        assertThat(Nodes.callMcp(browser, restarted, after.accessToken()).body()).isEqualTo("alice");
    }

    @Test
    void whenNodeRestartsThenTheUserLogsInAgainButConsentIsRemembered() throws Exception {
        DataSource database = EmbeddedPostgresDatabase.newMigratedDataSource();
        a = Nodes.start(database, null, 0);
        Browser browser = new Browser();
        McpClient client = new McpClient(a, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        Nodes.authorize(client, "alice");
        int port = a.baseUri().getPort();

        a.close();
        restarted = Nodes.start(database, null, port);
        McpClient.Pkce pkce = McpClient.pkce();

        HttpResponse<String> first = browser.get(client.authorizeUri(pkce, "st-2"));
        assertThat(first.statusCode()).as("the session died with the old node").isEqualTo(302);
        assertThat(Browser.location(first).getPath()).isEqualTo("/login");
        HttpResponse<String> login = browser.post(restarted.uri("/login"), Map.of("username", List.of("alice"),
                "password", List.of(TestServer.USERS.get("alice")),
                "return", List.of(Browser.query(Browser.location(first)).get("return"))));
        HttpResponse<String> afterLogin = browser.get(Browser.location(login));
        assertThat(afterLogin.statusCode()).as("no consent page: consent is in the database").isEqualTo(302);
        URI callback = Browser.location(afterLogin);
        assertThat(callback.toString()).startsWith(client.redirectUri());
        Code code = new Code(Browser.query(callback).get("code"), pkce.verifier());
        assertThat(Nodes.redeem(client, restarted, code).statusCode()).isEqualTo(200);
    }
}
