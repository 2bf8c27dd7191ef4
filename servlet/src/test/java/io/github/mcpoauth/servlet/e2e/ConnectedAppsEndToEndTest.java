package io.github.mcpoauth.servlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connected-apps page and its JSON API over real HTTP (Jetty, in-memory stores): login, listing, CSRF and
 * origin checks on revocation, revocation by form, and the consent withdrawn with it.
 */
class ConnectedAppsEndToEndTest {

    private TestServer server;
    private Browser browser;
    private McpClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.builder().start();
        browser = new Browser();
        client = new McpClient(server, browser);
        ObjectNode body = client.registrationBody("none");
        body.put("client_name", "<b>Evil</b> & Co");
        body.put("logo_uri", "https://cdn.example.com/logo.png");
        assertThat(client.register(body).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String authorizeAndRedeem() throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        URI callback = client.authorize(pkce, "st", "alice");
        HttpResponse<String> tokens = client.redeem(Browser.query(callback).get("code"), pkce.verifier());
        assertThat(tokens.statusCode()).isEqualTo(200);
        return McpClient.json(tokens).get("refresh_token").asText();
    }

    @Test
    void whenNobodyIsSignedInThenPageSendsToLoginAndApiAnswers401() throws Exception {
        HttpResponse<String> page = browser.get(server.uri("/connected-apps"));
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(Browser.location(page).getPath()).isEqualTo("/login");
        assertThat(Browser.query(Browser.location(page))).containsEntry("return", "/connected-apps");

        HttpResponse<String> api = browser.get(server.uri("/connected-apps/api"));
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(McpClient.json(api).get("error").asText()).isEqualTo("login_required");
    }

    @Test
    void whenSignedInThenPageListsTheAppEscapedWithLogoHostButNeverLoadsTheLogo() throws Exception {
        authorizeAndRedeem();

        HttpResponse<String> page = browser.get(server.uri("/connected-apps"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co").doesNotContain("<b>Evil</b>")
                .contains("cdn.example.com").doesNotContain("https://cdn.example.com/logo.png")
                .contains("Unverified").contains("<code>mcp</code>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("img-src 'self' data:").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        var app = McpClient.json(browser.get(server.uri("/connected-apps/api"))).get("apps").get(0);
        assertThat(app.get("logo_host").asText()).isEqualTo("cdn.example.com");
        assertThat(app.has("verified_host")).isFalse();
        assertThat(app.get("first_used").asText()).isNotEmpty();
        assertThat(app.get("last_used").asText()).isNotEmpty();
    }

    @Test
    void whenRevokeFormHasNoValidCsrfTokenOrForeignOriginThenRefusedAndGrantKept() throws Exception {
        String refresh = authorizeAndRedeem();
        String html = browser.get(server.uri("/connected-apps")).body();
        Map<String, List<String>> form = new LinkedHashMap<>(Browser.hiddenFields(html));
        Map<String, List<String>> badToken = new LinkedHashMap<>(form);
        badToken.put("csrf_token", List.of("forged"));

        assertThat(browser.post(server.uri("/connected-apps"), badToken).statusCode()).isEqualTo(403);
        assertThat(browser.post(server.uri("/connected-apps"), form, "Origin", "https://evil.example")
                .statusCode()).isEqualTo(403);
        assertThat(browser.post(server.uri("/connected-apps"), form, "Sec-Fetch-Site", "cross-site")
                .statusCode()).isEqualTo(403);
        HttpResponse<String> foreignDelete = browser.http().send(HttpRequest.newBuilder(server.uri(
                "/connected-apps/api/" + form.get("grant_id").get(0))).timeout(Duration.ofSeconds(10))
                .header("Origin", "https://evil.example").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreignDelete.statusCode()).isEqualTo(403);

        assertThat(McpClient.json(browser.get(server.uri("/connected-apps/api"))).get("apps")).hasSize(1);
        assertThat(client.refresh(refresh).statusCode()).isEqualTo(200);
    }

    @Test
    void whenRevokedByFormThenTokensFailAndConsentIsAskedAgain() throws Exception {
        String refresh = authorizeAndRedeem();
        String html = browser.get(server.uri("/connected-apps")).body();

        HttpResponse<String> revoked = browser.post(server.uri(Browser.formAction(html)), Browser.hiddenFields(html),
                "Origin", server.baseUri().toString());

        assertThat(revoked.statusCode()).isEqualTo(303);
        HttpResponse<String> after = browser.get(Browser.location(revoked));
        assertThat(after.body()).contains("Access removed.").contains("No app has access");
        assertThat(client.refresh(refresh).statusCode()).isEqualTo(400);
        HttpResponse<String> again = browser.get(client.authorizeUri(McpClient.pkce(), "st2"));
        assertThat(again.statusCode()).as("consent was withdrawn with the grant").isEqualTo(200);
        assertThat(again.body()).contains("name=\"decision\"");
        Map<String, List<String>> replay = new LinkedHashMap<>(Browser.hiddenFields(html));
        assertThat(browser.post(server.uri("/connected-apps"), replay, "Origin", server.baseUri().toString())
                .statusCode()).as("revoking twice").isEqualTo(404);
    }

    @Test
    void whenApiCalledWithWrongMethodThen405() throws Exception {
        HttpResponse<String> r = browser.http().send(HttpRequest.newBuilder(server.uri("/connected-apps/api"))
                .timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void whenFormPostHasOriginNullThenOnlyASameOriginFetchSiteLetsItThrough() throws Exception {
        // Referrer-Policy: no-referrer makes real browsers send "Origin: null" on our forms' posts.
        authorizeAndRedeem();
        String html = browser.get(server.uri("/connected-apps")).body();
        Map<String, List<String>> form = Browser.hiddenFields(html);

        assertThat(browser.post(server.uri("/connected-apps"), form, "Origin", "null").statusCode())
                .isEqualTo(403);
        assertThat(browser.post(server.uri("/connected-apps"), form, "Origin", "null", "Sec-Fetch-Site",
                "same-site").statusCode()).isEqualTo(403);
        assertThat(browser.post(server.uri("/connected-apps"), form, "Origin", "null", "Sec-Fetch-Site",
                "same-origin").statusCode()).isEqualTo(303);
    }

    @Test
    void whenConsentPostHasOriginNullFromTheSameOriginThenCodeIsIssued() throws Exception {
        HttpResponse<String> r = browser.get(client.authorizeUri(McpClient.pkce(), "st"));
        String ret = Browser.query(Browser.location(r)).get("return");
        r = browser.post(server.uri("/login"), Map.of("username", List.of("alice"), "password",
                List.of(TestServer.USERS.get("alice")), "return", List.of(ret)));
        String html = browser.get(Browser.location(r)).body();
        Map<String, List<String>> form = new LinkedHashMap<>(Browser.hiddenFields(html));
        form.put("decision", List.of("approve"));

        assertThat(browser.post(server.uri(Browser.formAction(html)), form, "Origin", "null").statusCode())
                .isEqualTo(403);
        HttpResponse<String> approved = browser.post(server.uri(Browser.formAction(html)), form, "Origin", "null",
                "Sec-Fetch-Site", "same-origin");
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(Browser.query(Browser.location(approved))).containsKey("code");
    }
}
