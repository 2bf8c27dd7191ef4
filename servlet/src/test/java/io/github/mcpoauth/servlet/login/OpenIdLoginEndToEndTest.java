package io.github.mcpoauth.servlet.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Upstream OpenID Connect login (issue 10, item 1) end to end over real HTTP: a real OpenID provider
 * ({@code mock-oauth2-server}, two issuers standing for two providers) and mcp-oauth on Jetty with
 * {@link OpenIdLogin} as its authenticator. An MCP client's authorization request goes to the chooser, the provider,
 * back to the callback, the consent page and the token endpoint, and the guarded MCP endpoint sees the upstream
 * subject. Then every way the provider's answer can be wrong is refused, and nobody is signed in by it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenIdLoginEndToEndTest {

    private static final String CLIENT_ID = "mcp-app";
    private static final String VERIFY_FAILED = "could not be verified";

    /** The next token response, when a test stands in for the provider's token endpoint (else the provider answers). */
    private final AtomicReference<String> forgedTokenResponse = new AtomicReference<>();
    private final MockOAuth2Server idp = new MockOAuth2Server(new Route() {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return forgedTokenResponse.get() != null && request.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                    200, forgedTokenResponse.getAndSet(null), null);
        }
    });
    private final List<String> upstreamRefreshTokens = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Logger loginLogger = Logger.getLogger("io.github.mcpoauth.servlet.internal.login");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(new java.util.logging.SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private TestServer server;
    private volatile OpenIdLogin login;

    @BeforeAll
    void start() throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        ResourceOwnerAuthenticator delegate = new ResourceOwnerAuthenticator() {
            @Override
            public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response,
                    String returnTo) throws IOException {
                return login.authenticate(request, response, returnTo);
            }

            @Override
            public Optional<String> signedIn(HttpServletRequest request) {
                return login.signedIn(request);
            }
        };
        server = TestServer.builder()
                .oauth(b -> b.authenticator(delegate))
                .servlet("/oauth2/login", base -> loginAt(base).servlet())
                .servlet("/oauth2/login/*", base -> loginAt(base).servlet())
                .servlet("/mcp", base -> new WhoAmI())
                .start();
        loginLogger.setLevel(Level.ALL);
        loginLogger.addHandler(handler);
    }

    private synchronized OpenIdLogin loginAt(URI base) {
        if (login == null) {
            login = OpenIdLogin.builder(URI.create(base + "/oauth2/login"))
                    .provider(OpenIdLogin.Provider.builder("corp").displayName("Corp SSO")
                            .discovery(URI.create(idp.wellKnownUrl("corp").toString()))
                            .clientId(CLIENT_ID).clientSecret("upstream-secret")
                            .scopes("email", "offline_access")
                            .subjectClaim("email").allowedDomains("example.com").build())
                    .provider(OpenIdLogin.Provider.builder("partner").displayName("Partner <IdP>")
                            .discovery(URI.create(idp.wellKnownUrl("partner").toString()))
                            .clientId(CLIENT_ID).clientSecret("partner-secret")
                            .allowedGroups("groups", "mcp-users").build())
                    .provider(OpenIdLogin.Provider.builder("open").displayName("Open IdP")
                            .discovery(URI.create(idp.wellKnownUrl("open").toString()))
                            .clientId(CLIENT_ID).clientSecret("open-secret").subjectClaim("email").build())
                    .upstreamTokens((provider, subject, refreshToken) -> upstreamRefreshTokens.add(provider + " "
                            + subject + " " + (refreshToken.isEmpty() ? "" : "has-token")))
                    .build();
        }
        return login;
    }

    @AfterAll
    void stop() throws Exception {
        loginLogger.removeHandler(handler);
        server.close();
        idp.shutdown();
    }

    @BeforeEach
    void clear() {
        log.clear();
    }

    @Test
    void whenUserSignsInUpstreamThenTheMcpClientGetsATokenForTheUpstreamSubject() throws Exception {
        Browser browser = new Browser();
        McpClient client = new McpClient(server, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        McpClient.Pkce pkce = McpClient.pkce();
        idp.enqueueCallback(person("corp", "alice@example.com", null, 3600));

        // our authorize → the chooser (two providers), with the consent page's security headers
        HttpResponse<String> authorize = browser.get(client.authorizeUri(pkce, "mcp-state-1"));
        assertThat(authorize.statusCode()).isEqualTo(302);
        HttpResponse<String> chooser = browser.get(Browser.location(authorize));
        assertThat(chooser.statusCode()).isEqualTo(200);
        assertThat(chooser.body()).contains("Sign in with Corp SSO", "Sign in with Partner &lt;IdP&gt;")
                .doesNotContain("<IdP>");
        assertThat(chooser.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(chooser.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'");
        assertThat(chooser.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        // → start at "corp" → the provider, with state, nonce and an S256 challenge
        URI toIdp = Browser.location(browser.get(link(chooser, "corp")));
        Map<String, String> q = Browser.query(toIdp);
        assertThat(toIdp.toString()).startsWith(idp.authorizationEndpointUrl("corp").toString());
        assertThat(q).containsKeys("state", "nonce", "code_challenge").containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", server.baseUri() + "/oauth2/login/callback");

        // → the provider answers → our callback signs alice in and resumes the MCP authorization request
        URI callback = Browser.location(browser.get(toIdp));
        HttpResponse<String> back = browser.get(callback);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        HttpResponse<String> consent = browser.get(Browser.location(back));
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("alice@example.com");

        // → consent → code → token → the guarded MCP endpoint sees the upstream subject
        URI done = Browser.location(client.approve(consent.body(), "approve"));
        Map<String, String> result = Browser.query(done);
        assertThat(result).containsEntry("state", "mcp-state-1");
        JsonNode tokens = McpClient.json(client.redeem(result.get("code"), pkce.verifier()));
        String accessToken = tokens.get("access_token").asText();
        HttpResponse<String> whoami = browser.http().send(HttpRequest.newBuilder(server.uri("/mcp"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).isEqualTo("alice@example.com");

        // the upstream refresh token went to the app's hook only, never to the MCP client
        assertThat(upstreamRefreshTokens).contains("corp alice@example.com has-token");
        assertThat(tokens.toString()).doesNotContain("id_token");
    }

    @Test
    void whenStateDoesNotMatchThenTheSignInIsRefusedAndNobodyIsSignedIn() throws Exception {
        Browser browser = new Browser();
        URI callback = Browser.location(browser.get(providerRedirect(browser, "corp")));

        HttpResponse<String> r = browser.get(replace(callback, "state", "forged-state"));

        assertRefused(r, 400, "unknown or has expired");
        assertThat(log).anyMatch(l -> l.contains("state mismatch"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheNonceIsNotTheOneSentThenTheIdTokenIsRefused() throws Exception {
        Browser browser = new Browser();
        idp.enqueueCallback(person("corp", "alice@example.com", null, 3600));
        URI toIdp = providerRedirect(browser, "corp");

        URI callback = Browser.location(browser.get(replace(toIdp, "nonce", "a-nonce-of-another-session")));
        HttpResponse<String> r = browser.get(callback);

        assertRefused(r, 400, VERIFY_FAILED);
        assertThat(log).anyMatch(l -> l.contains("ID token refused") && l.contains("nonce"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheIdTokenIsForAnotherAudienceThenItIsRefused() throws Exception {
        Browser browser = new Browser();
        URI toIdp = providerRedirect(browser, "corp");
        URI callback = Browser.location(browser.get(toIdp));
        answerWith(idp.anyToken(idp.issuerUrl("corp"), idTokenClaims(toIdp, "some-other-app"), Duration.ofMinutes(10)));

        HttpResponse<String> r = browser.get(callback);

        assertRefused(r, 400, VERIFY_FAILED);
        assertThat(log).anyMatch(l -> l.contains("ID token refused") && l.toLowerCase().contains("audience"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheIdTokenHasExpiredThenItIsRefused() throws Exception {
        Browser browser = new Browser();
        URI toIdp = providerRedirect(browser, "corp");
        URI callback = Browser.location(browser.get(toIdp));
        answerWith(idp.anyToken(idp.issuerUrl("corp"), idTokenClaims(toIdp, CLIENT_ID), Duration.ofMinutes(-10)));

        HttpResponse<String> r = browser.get(callback);

        assertRefused(r, 400, VERIFY_FAILED);
        assertThat(log).anyMatch(l -> l.contains("ID token refused") && l.toLowerCase().contains("expired"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheProvidersOwnIdTokenIsServedThroughTheStandInThenItIsAccepted() throws Exception {
        // the control for the two tests above: the same stand-in answer, with nothing wrong, signs the user in
        Browser browser = new Browser();
        URI toIdp = providerRedirect(browser, "corp");
        URI callback = Browser.location(browser.get(toIdp));
        answerWith(idp.anyToken(idp.issuerUrl("corp"), idTokenClaims(toIdp, CLIENT_ID), Duration.ofMinutes(10)));

        HttpResponse<String> r = browser.get(callback);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(Browser.location(r).getPath()).isEqualTo("/oauth2/authorize");
    }

    @Test
    void whenTheIdTokenIsSignedWithAKeyThatIsNotTheProvidersThenItIsRefused() throws Exception {
        Browser browser = new Browser();
        URI toIdp = providerRedirect(browser, "corp");
        String nonce = Browser.query(toIdp).get("nonce");
        URI callback = Browser.location(browser.get(toIdp));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("not-the-providers").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID())
                .build(), new JWTClaimsSet.Builder().issuer(idp.issuerUrl("corp").toString()).subject("mallory")
                .audience(CLIENT_ID).claim("nonce", nonce).claim("email", "alice@example.com")
                .claim("email_verified", true).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        forged.sign(new RSASSASigner(stranger));
        answerWith(forged);

        HttpResponse<String> r = browser.get(callback);

        assertRefused(r, 400, VERIFY_FAILED);
        assertThat(log).anyMatch(l -> l.contains("ID token refused"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheIssResponseParameterNamesAnotherIssuerThenTheAnswerIsRefused() throws Exception {
        Browser browser = new Browser();
        URI callback = Browser.location(browser.get(providerRedirect(browser, "corp")));

        HttpResponse<String> r = browser.get(URI.create(callback + "&iss="
                + URLEncoder.encode(idp.issuerUrl("partner").toString(), StandardCharsets.UTF_8)));

        assertRefused(r, 400, VERIFY_FAILED);
        assertThat(log).anyMatch(l -> l.contains("iss response parameter of another issuer"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheUsersDomainIsNotAllowedThenTheSignInIsRefusedWith403() throws Exception {
        Browser browser = new Browser();
        idp.enqueueCallback(person("corp", "mallory@evil.example", null, 3600));

        HttpResponse<String> r = browser.get(Browser.location(browser.get(providerRedirect(browser, "corp"))));

        assertRefused(r, 403, "not allowed to sign in here");
        assertThat(log).anyMatch(l -> l.contains("domain not allowed"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheUserIsInNoAllowedGroupThenTheSignInIsRefusedAndAMemberGetsIn() throws Exception {
        Browser outsider = new Browser();
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("partner", "p-123", "JWT", null,
                Map.of("groups", List.of("visitors")), 3600));
        assertRefused(outsider.get(Browser.location(outsider.get(providerRedirect(outsider, "partner")))), 403,
                "not allowed");

        Browser member = new Browser();
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("partner", "p-456", "JWT", null,
                Map.of("groups", List.of("visitors", "mcp-users")), 3600));
        HttpResponse<String> r = member.get(Browser.location(member.get(providerRedirect(member, "partner"))));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(Browser.location(r).getPath()).isEqualTo("/oauth2/authorize");
    }

    @Test
    void whenTheEmailUsedAsSubjectIsNotVerifiedThenTheSignInIsRefused() throws Exception {
        Browser browser = new Browser();
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("open", "o-1", "JWT", null,
                Map.of("email", "alice@example.com", "email_verified", false), 3600));

        HttpResponse<String> r = browser.get(Browser.location(browser.get(providerRedirect(browser, "open"))));

        assertRefused(r, 403, "not allowed");
        assertThat(log).anyMatch(l -> l.contains("e-mail address as subject not verified"));
        assertNotSignedIn(browser);
    }

    @Test
    void whenTheReturnUrlIsNotARelativePathThenNoSignInStarts() throws Exception {
        Browser browser = new Browser();
        for (String bad : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example")) {
            HttpResponse<String> r = browser.get(server.uri("/oauth2/login/start?provider=corp&return="
                    + URLEncoder.encode(bad, StandardCharsets.UTF_8)));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
        }
    }

    /** The provider's token endpoint answers the next code with {@code idToken} (and an opaque access token). */
    private void answerWith(SignedJWT idToken) {
        forgedTokenResponse.set("{\"access_token\":\"upstream-at\",\"token_type\":\"Bearer\",\"expires_in\":600,"
                + "\"id_token\":\"" + idToken.serialize() + "\"}");
    }

    /** Claims of a good ID token for the sign-in {@code toIdp} started, for {@code audience}. */
    private static Map<String, Object> idTokenClaims(URI toIdp, String audience) {
        return Map.of("sub", "upstream-alice", "aud", audience, "nonce", Browser.query(toIdp).get("nonce"),
                "email", "alice@example.com", "email_verified", true);
    }

    /** A user at {@code issuerId} with that e-mail, an ID token for {@code audience} (null: the client id). */
    private static DefaultOAuth2TokenCallback person(String issuerId, String email, List<String> audience,
            long expirySeconds) {
        return new DefaultOAuth2TokenCallback(issuerId, "upstream-" + email.hashCode(), "JWT", audience,
                Map.of("email", email, "email_verified", true), expirySeconds);
    }

    /** Starts an MCP authorization in {@code browser} and returns the redirect to {@code provider}. */
    private URI providerRedirect(Browser browser, String provider) throws Exception {
        McpClient client = new McpClient(server, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        HttpResponse<String> chooser = browser.get(Browser.location(browser.get(
                client.authorizeUri(McpClient.pkce(), "st"))));
        return Browser.location(browser.get(link(chooser, provider)));
    }

    private URI link(HttpResponse<String> chooser, String provider) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"([^\"]*provider=" + provider
                + "[^\"]*)\"").matcher(chooser.body());
        assertThat(m.find()).as(chooser.body()).isTrue();
        return server.uri(m.group(1).replace("&amp;", "&"));
    }

    private static URI replace(URI uri, String name, String value) {
        String s = uri.toString();
        return URI.create(s.replaceFirst("([?&]" + name + "=)[^&]*", "$1"
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    }

    private static void assertRefused(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("Sign-in failed", message);
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    /** The same browser's next authorization request is sent to sign in again. */
    private void assertNotSignedIn(Browser browser) throws Exception {
        McpClient client = new McpClient(server, browser);
        assertThat(client.registerPublic().statusCode()).isEqualTo(201);
        HttpResponse<String> again = browser.get(client.authorizeUri(McpClient.pkce(), "again"));
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(Browser.location(again).getPath()).isEqualTo("/oauth2/login");
    }

    /** Stands in for the MCP servlet behind the guard: answers with the caller's subject. */
    private static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(request.getUserPrincipal().getName());
        }
    }
}
