package io.github.mcpoauth.servlet.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import io.github.mcpoauth.servlet.multinode.Nodes.Code;
import io.github.mcpoauth.servlet.multinode.Nodes.Tokens;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.CookieManager;
import java.net.CookieStore;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node stopped and started again (a new JVM's worth of state: new {@code McpOAuth}, new stores, no sessions) on
 * the same PostgreSQL database, at the same address: clients, grants, consents and signing keys survive.
 *
 * <p>After a restart each test talks to the new node through a new {@link Browser}: a pooled connection to the
 * stopped node is dead, and whether the JDK client notices in time (or retries the request) depends on the request
 * method and on timing. A new browser takes along what a real user agent keeps: its cookies.
 */
@Timeout(120)
class NodeRestartEndToEndTest {

    private TestServer a;
    private TestServer restarted;

    /** Starts PostgreSQL outside the per-test time limit (a class-level {@code @Timeout} skips lifecycle methods). */
    @BeforeAll
    static void startDatabase() {
        EmbeddedPostgresDatabase.dataSource();
    }

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
        Browser afterRestart = new Browser();

        assertThat(restarted.baseUri()).isEqualTo(issuer);
        assertThat(McpClient.json(afterRestart.get(restarted.uri("/oauth2/jwks"))))
                .isEqualTo(jwksBefore);
        HttpResponse<String> oldAccessToken = Nodes.callMcp(afterRestart, restarted, before.accessToken());
        assertThat(oldAccessToken.statusCode()).isEqualTo(200);
        assertThat(oldAccessToken.body()).isEqualTo("alice");
        HttpResponse<String> refresh = publicClientToken(afterRestart, restarted, client.clientId(),
                Map.of("grant_type", List.of("refresh_token"), "refresh_token", List.of(before.refreshToken())));
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
        Tokens after = Tokens.of(refresh);
        assertThat(Nodes.callMcp(afterRestart, restarted, after.accessToken()).body()).isEqualTo("alice");
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
        Browser afterRestart = withCookiesOf(browser);
        assertThat(cookies(afterRestart).getCookies()).as("the old node's session cookie goes along").isNotEmpty();
        McpClient.Pkce pkce = McpClient.pkce();

        // the authorization request URI names the same address, which the restarted node now answers
        HttpResponse<String> first = afterRestart.get(client.authorizeUri(pkce, "st-2"));
        assertThat(first.statusCode()).as("the session died with the old node").isEqualTo(302);
        assertThat(Browser.location(first).getPath()).isEqualTo("/login");
        HttpResponse<String> login = afterRestart.post(restarted.uri("/login"), Map.of("username", List.of("alice"),
                "password", List.of(TestServer.USERS.get("alice")),
                "return", List.of(Browser.query(Browser.location(first)).get("return"))));
        HttpResponse<String> afterLogin = afterRestart.get(Browser.location(login));
        assertThat(afterLogin.statusCode()).as("no consent page: consent is in the database").isEqualTo(302);
        URI callback = Browser.location(afterLogin);
        assertThat(callback.toString()).startsWith(client.redirectUri());
        Code code = new Code(Browser.query(callback).get("code"), pkce.verifier());
        Map<String, List<String>> redeem = new LinkedHashMap<>();
        redeem.put("grant_type", List.of("authorization_code"));
        redeem.put("code", List.of(code.code()));
        redeem.put("redirect_uri", List.of(client.redirectUri()));
        redeem.put("code_verifier", List.of(code.verifier()));
        HttpResponse<String> tokens = publicClientToken(afterRestart, restarted, client.clientId(), redeem);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    }

    /** A token request to {@code node} as the public client {@code clientId}, sent by {@code browser}. */
    private static HttpResponse<String> publicClientToken(Browser browser, TestServer node, String clientId,
            Map<String, List<String>> form) throws Exception {
        Map<String, List<String>> f = new LinkedHashMap<>(form);
        f.put("client_id", List.of(clientId));
        return browser.post(node.uri("/oauth2/token"), f);
    }

    /** A new browser (no connection to a stopped node) holding the cookies {@code old} holds. */
    private static Browser withCookiesOf(Browser old) {
        Browser fresh = new Browser();
        CookieStore from = cookies(old);
        CookieStore to = cookies(fresh);
        for (URI uri : from.getURIs()) {
            for (HttpCookie cookie : from.get(uri)) {
                to.add(uri, cookie);
            }
        }
        return fresh;
    }

    private static CookieStore cookies(Browser browser) {
        return ((CookieManager) browser.http().cookieHandler().orElseThrow()).getCookieStore();
    }
}
