package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertErrorRedirect;
import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertLocalErrorPage;
import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertPageHeaders;
import static io.github.mcpoauth.servlet.security.SecurityAssertions.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md cases 1 to 11: the authorization endpoint and the consent form, over real HTTP. Each test is named
 * after its case; each checks the exact answer and that nothing was issued when the answer is an error.
 */
class AuthorizationEndpointSecurityCasesTest {

    private SecurityFixture fx;
    private McpClient client;

    @BeforeEach
    void start() throws Exception {
        fx = SecurityFixture.withSettings(s -> s.scopes(Set.of("mcp", "admin")).defaultScopes(Set.of("mcp")));
        client = fx.publicClient();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return fx.browser.get(uri);
    }

    private URI authorize(String... overrides) {
        return client.authorizeUri(McpClient.pkce(), "st-1", overrides);
    }

    private void assertNothingIssued() {
        assertThat(fx.audit.types()).doesNotContain(AuditEvent.Type.CODE_ISSUED, AuditEvent.Type.CONSENT_GRANTED);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A valid request: the user is sent to the host's login (nothing is validated after that point). */
    private static void assertAccepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("accepted request, got: %s", r.body()).isEqualTo(302);
        assertThat(Browser.location(r).getPath()).isEqualTo("/login");
    }

    @Test
    void case01_whenClientIdUnknownOrMissingThenLocalErrorPage() throws Exception {
        assertLocalErrorPage(get(authorize("client_id", "no-such-client")));
        assertLocalErrorPage(get(authorize("client_id", null)));
        assertLocalErrorPage(get(authorize("client_id", "")));
        assertLocalErrorPage(get(authorize("client_id", "x".repeat(600))));
        // Unknown client with an otherwise perfect request, even a redirect URI another client registered.
        HttpResponse<String> r = get(authorize("client_id", client.clientId() + "x"));
        assertLocalErrorPage(r);
        assertThat(r.body()).doesNotContain(client.redirectUri());
        assertNothingIssued();
    }

    @Test
    void case02_whenRedirectUriNotExactMatchThenLocalErrorPageButLoopbackPortMayVary() throws Exception {
        McpClient web = new McpClient(fx.server, fx.browser).redirectUri("https://app.example/cb");
        assertThat(web.register("none").statusCode()).isEqualTo(201);
        for (String bad : List.of("https://app.example/cb/x", "https://app.example/cb?x=1", "https://app.example/cb/",
                "https://evil.example/cb", "http://app.example/cb", "https://app.example:8443/cb",
                "https://app.example.evil.example/cb", "https://APP.example/cb", "https://app.example/cb#f",
                "https://app.example/c%62", "https://user@app.example/cb")) {
            assertLocalErrorPage(get(web.authorizeUri(McpClient.pkce(), "s", "redirect_uri", bad)));
        }
        // Loopback (RFC 8252 §7.3): any port, but the same scheme, host, path and query.
        for (String bad : List.of("http://127.0.0.1:9/callback/", "http://127.0.0.1:9/callback?x=1",
                "http://127.0.0.1:9/other", "https://127.0.0.1:9/callback", "http://localhost:9/callback",
                "http://127.0.0.2:9/callback", "http://[::1]:9/callback", "http://127.0.0.1:9/Callback")) {
            assertLocalErrorPage(get(authorize("redirect_uri", bad)));
        }
        assertNothingIssued();
        assertAccepted(get(authorize("redirect_uri", "http://127.0.0.1:9/callback")));
        assertAccepted(get(authorize("redirect_uri", "http://127.0.0.1:53682/callback")));
        assertAccepted(get(authorize("redirect_uri", "http://127.0.0.1/callback")));

        // The other-port redirect is where the code goes, and the token request must repeat it.
        McpClient.Pkce pkce = McpClient.pkce();
        HttpResponse<String> page = fx.authorizeAs(fx.browser,
                client.authorizeUri(pkce, "s", "redirect_uri", "http://127.0.0.1:53682/callback"), "alice");
        URI callback = Browser.location(client.approve(page.body(), "approve"));
        assertThat(callback.toString()).startsWith("http://127.0.0.1:53682/callback?");
    }

    @Test
    void case03_whenRedirectUriOmittedAndSeveralRegisteredThenLocalErrorPage() throws Exception {
        McpClient two = new McpClient(fx.server, fx.browser);
        ObjectNode body = two.registrationBody("none");
        body.putArray("redirect_uris").add(two.redirectUri()).add("https://app.example/cb");
        assertThat(two.register(body).statusCode()).isEqualTo(201);

        assertLocalErrorPage(get(two.authorizeUri(McpClient.pkce(), "s", "redirect_uri", null)));
        assertLocalErrorPage(get(two.authorizeUri(McpClient.pkce(), "s", "redirect_uri", "")));
        assertNothingIssued();
        // With a single registered URI the parameter may be omitted.
        assertAccepted(get(authorize("redirect_uri", null)));
    }

    @Test
    void case04_whenPkceMissingOrNotS256OrMalformedThenErrorRedirectInvalidRequest() throws Exception {
        String good = McpClient.pkce().challenge();
        List<String[]> bad = List.of(
                new String[] {"code_challenge", null},
                new String[] {"code_challenge_method", "plain"},
                new String[] {"code_challenge_method", null},
                new String[] {"code_challenge_method", "S512"},
                new String[] {"code_challenge_method", "s256"},
                new String[] {"code_challenge", good.substring(1)},
                new String[] {"code_challenge", good + "A"},
                new String[] {"code_challenge", good.substring(1) + "="},
                new String[] {"code_challenge", good.substring(1) + "+"},
                new String[] {"code_challenge", "x".repeat(128)});
        for (String[] b : bad) {
            assertErrorRedirect(get(client.authorizeUri(McpClient.pkce(), "st-4", "code_challenge", good, b[0], b[1])),
                    client, fx.issuer(), "invalid_request", "st-4");
        }
        assertNothingIssued();
    }

    @Test
    void case05_whenResponseTypeMissingOrNotCodeThenErrorRedirectOnlyOnceRedirectUriIsKnownGood()
            throws Exception {
        assertErrorRedirect(get(authorize("response_type", null)), client, fx.issuer(), "invalid_request", "st-1");
        for (String rt : List.of("token", "code token", "code id_token", "id_token", "CODE", "none")) {
            assertErrorRedirect(get(authorize("response_type", rt)), client, fx.issuer(),
                    "unsupported_response_type", "st-1");
        }
        // A bad redirect URI wins over a bad response type: nothing goes to the unverified URI.
        assertLocalErrorPage(get(authorize("response_type", "token", "redirect_uri", "https://evil.example/cb")));
        assertLocalErrorPage(get(authorize("response_type", null, "client_id", "unknown")));
        assertNothingIssued();
    }

    @Test
    void case06_whenParameterSentTwiceThenInvalidRequestAndEmptyMeansAbsentAndUnknownIgnored() throws Exception {
        URI base = authorize();
        for (String dup : List.of("scope=mcp", "code_challenge=" + McpClient.pkce().challenge(),
                "code_challenge_method=S256", "response_type=code", "resource=" + enc(fx.issuer() + "/mcp")
                        + "&resource=" + enc("https://evil.example/"))) {
            HttpResponse<String> r = get(URI.create(base + "&" + dup));
            if (dup.startsWith("resource=")) {
                // resource may repeat (RFC 8707); an unknown one is invalid_target
                assertErrorRedirect(r, client, fx.issuer(), "invalid_target", "st-1");
            } else {
                assertErrorRedirect(r, client, fx.issuer(), "invalid_request", "st-1");
            }
        }
        // state twice: an error, and no state is echoed (which one would it be?)
        assertErrorRedirect(get(URI.create(base + "&state=other")), client, fx.issuer(), "invalid_request", null);
        // client_id or redirect_uri twice: the redirect target is ambiguous, so a local error
        assertLocalErrorPage(get(URI.create(base + "&redirect_uri=" + enc(client.redirectUri()))));
        assertLocalErrorPage(get(URI.create(base + "&redirect_uri=" + enc("https://evil.example/cb"))));
        assertLocalErrorPage(get(URI.create(base + "&client_id=" + enc(client.clientId()))));
        assertNothingIssued();

        // An empty value counts as absent: an empty duplicate is no duplicate, an empty method is a missing one.
        assertAccepted(get(URI.create(base + "&scope=")));
        assertAccepted(get(URI.create(base + "&redirect_uri=")));
        assertErrorRedirect(get(authorize("code_challenge_method", "")), client, fx.issuer(), "invalid_request",
                "st-1");
        assertErrorRedirect(get(authorize("state", "", "response_type", "token")), client, fx.issuer(),
                "unsupported_response_type", null);
        // Unknown parameters are ignored.
        assertAccepted(get(URI.create(base + "&foo=bar&x-extension=1")));
    }

    @Test
    void case07_whenResourceRelativeWithFragmentOrNotProtectedThenInvalidTarget() throws Exception {
        for (String bad : List.of("/mcp", "mcp", fx.issuer() + "/mcp#frag", "https://evil.example/mcp",
                fx.issuer() + "/mcp/", fx.issuer() + "/other", "ht tp://x", fx.issuer())) {
            assertErrorRedirect(get(authorize("resource", bad)), client, fx.issuer(), "invalid_target", "st-1");
        }
        assertNothingIssued();
        assertAccepted(get(authorize("resource", fx.issuer() + "/mcp")));
        assertAccepted(get(authorize("resource", null)));
    }

    @Test
    void case08_whenAnyAuthorizationResponseThenExactlyOneIssAndMetadataSaysSo() throws Exception {
        JsonNode meta = McpClient.json(get(fx.uri("/.well-known/oauth-authorization-server")));
        assertThat(meta.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();

        // success
        URI ok = client.authorize(McpClient.pkce(), "st-8", "alice");
        assertThat(values(ok, "iss")).containsExactly(fx.issuer());
        assertThat(values(ok, "code")).hasSize(1);
        // error before login, and error after consent (denied)
        assertErrorRedirect(get(authorize("response_type", "token")), client, fx.issuer(),
                "unsupported_response_type", "st-1");
        McpClient other = fx.publicClient();
        HttpResponse<String> page = fx.consentPage(fx.browser, other, McpClient.pkce(), "alice");
        HttpResponse<String> denied = other.approve(page.body(), "deny");
        assertThat(values(Browser.location(denied), "iss")).containsExactly(fx.issuer());
        assertThat(values(Browser.location(denied), "error")).containsExactly("access_denied");

        // A registered redirect URI may keep a query (RFC 6749 §3.1.2), but it cannot smuggle in a second iss,
        // code, state or error: such URIs are refused at registration.
        for (String reserved : List.of("iss", "code", "state", "error")) {
            McpClient tricky = new McpClient(fx.server, fx.browser)
                    .redirectUri("http://127.0.0.1:9/callback?" + reserved + "=evil");
            HttpResponse<String> reg = tricky.register("none");
            SecurityAssertions.assertOAuthError(reg, 400, "invalid_redirect_uri");
        }
        McpClient withQuery = new McpClient(fx.server, fx.browser).redirectUri("http://127.0.0.1:9/callback?app=1");
        assertThat(withQuery.register("none").statusCode()).isEqualTo(201);
        URI kept = withQuery.authorize(McpClient.pkce(), "st-q", "alice");
        assertThat(values(kept, "app")).containsExactly("1");
        assertThat(values(kept, "iss")).containsExactly(fx.issuer());
    }

    @Test
    void case09_whenConsentPostLacksValidCsrfTokenOrComesFromForeignOriginThen403AndNoCode() throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String html = fx.consentPage(fx.browser, client, pkce, "alice").body();
        Map<String, List<String>> fields = Browser.hiddenFields(html);
        URI action = fx.uri(Browser.formAction(html));
        String own = fx.issuer();

        Map<String, List<String>> noToken = new LinkedHashMap<>(fields);
        noToken.remove("csrf_token");
        noToken.put("decision", List.of("approve"));
        assertForbidden(fx.browser.post(action, noToken, "Origin", own));

        Map<String, List<String>> wrongToken = new LinkedHashMap<>(fields);
        wrongToken.put("csrf_token", List.of("A".repeat(43)));
        wrongToken.put("decision", List.of("approve"));
        assertForbidden(fx.browser.post(action, wrongToken, "Origin", own));

        Map<String, List<String>> twoTokens = new LinkedHashMap<>(fields);
        twoTokens.put("csrf_token", List.of(fields.get("csrf_token").get(0), "A".repeat(43)));
        twoTokens.put("decision", List.of("approve"));
        assertForbidden(fx.browser.post(action, twoTokens, "Origin", own));

        Map<String, List<String>> valid = new LinkedHashMap<>(fields);
        valid.put("decision", List.of("approve"));
        assertForbidden(fx.browser.post(action, valid, "Origin", "https://evil.example"));
        assertForbidden(fx.browser.post(action, valid, "Origin", "null"));
        assertForbidden(fx.browser.post(action, valid, "Origin", own, "Sec-Fetch-Site", "cross-site"));

        // The token of another session (bob's) is no good in alice's, and alice's none in a session without one.
        Browser bob = new Browser();
        String bobHtml = fx.consentPage(bob, client, McpClient.pkce(), "bob").body();
        Map<String, List<String>> bobsToken = new LinkedHashMap<>(fields);
        bobsToken.put("csrf_token", Browser.hiddenFields(bobHtml).get("csrf_token"));
        bobsToken.put("decision", List.of("approve"));
        assertForbidden(fx.browser.post(action, bobsToken, "Origin", own));
        assertForbidden(new Browser().post(action, valid, "Origin", own));

        assertNothingIssued();
        // Consent was not recorded: the page comes again.
        assertThat(fx.authorizeAs(fx.browser, client.authorizeUri(McpClient.pkce(), "st"), "alice").statusCode())
                .isEqualTo(200);
        // The genuine form still works.
        HttpResponse<String> genuine = fx.browser.post(action, valid, "Origin", own, "Sec-Fetch-Site", "same-origin");
        assertThat(genuine.statusCode()).isEqualTo(303);
        assertThat(Browser.query(Browser.location(genuine))).containsKey("code");
    }

    private static void assertForbidden(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("consent post answered %s", r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertPageHeaders(r);
    }

    @Test
    void case10_whenPagesRenderedThenFramingAndReferrerRefusedAndConsentRedirectIs303() throws Exception {
        // local error page
        assertPageHeaders(get(authorize("client_id", "unknown")));
        // consent page
        HttpResponse<String> page = fx.consentPage(fx.browser, client, McpClient.pkce(), "alice");
        assertPageHeaders(page);
        // 403 and 405 pages
        HttpResponse<String> forbidden = fx.browser.post(fx.uri(Browser.formAction(page.body())),
                Map.of("decision", List.of("approve")));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertPageHeaders(forbidden);
        HttpResponse<String> wrongMethod = get(fx.uri(Browser.formAction(page.body())));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertPageHeaders(wrongMethod);

        // After the consent POST: 303 See Other (never 307, which would re-post the form to the client).
        HttpResponse<String> approved = client.approve(page.body(), "approve");
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(approved.headers().firstValue("Cache-Control")).hasValue("no-store");
        McpClient other = fx.publicClient();
        HttpResponse<String> denied = other.approve(fx.consentPage(fx.browser, other, McpClient.pkce(), "alice")
                .body(), "deny");
        assertThat(denied.statusCode()).isEqualTo(303);
        // The redirect that carries a code straight from GET (consent remembered) is a 302 with the same headers.
        HttpResponse<String> remembered = get(client.authorizeUri(McpClient.pkce(), "st"));
        assertThat(remembered.statusCode()).isEqualTo(302);
        assertThat(remembered.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(remembered.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void case11_whenAnotherClientOrScopeOrUserThenConsentIsAskedAgainAndPageShowsRedirectHost() throws Exception {
        // alice consents to the first client for "mcp"
        client.authorize(McpClient.pkce(), "st", "alice");
        assertThat(get(client.authorizeUri(McpClient.pkce(), "st")).statusCode()).as("remembered").isEqualTo(302);

        // A new client with the same name never rides on that consent; its page names its redirect host.
        McpClient lookalike = new McpClient(fx.server, fx.browser).redirectUri("https://client-b.example/cb");
        assertThat(lookalike.register("none").statusCode()).isEqualTo(201);
        HttpResponse<String> page = get(lookalike.authorizeUri(McpClient.pkce(), "st"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("client-b.example").contains("Test MCP Client");

        // The same client asking for more scope asks again.
        assertThat(get(client.authorizeUri(McpClient.pkce(), "st", "scope", "mcp admin")).statusCode())
                .isEqualTo(200);
        // Another user asks again.
        Browser bob = new Browser();
        HttpResponse<String> bobs = fx.authorizeAs(bob, client.authorizeUri(McpClient.pkce(), "st"), "bob");
        assertThat(bobs.statusCode()).isEqualTo(200);
        assertThat(fx.audit.count(AuditEvent.Type.CONSENT_GRANTED)).isEqualTo(1);
    }
}
