package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static io.github.mcpoauth.servlet.security.SecurityFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md cases 12 to 19: the token endpoint, over real HTTP. Failed requests are checked to change nothing:
 * the code stays redeemable, the refresh token stays usable.
 */
class TokenEndpointSecurityCasesTest {

    private static final String OTHER_RESOURCE = "https://files.example/files";

    private SecurityFixture fx;
    private McpClient client;

    @BeforeEach
    void start() throws Exception {
        fx = SecurityFixture.withSettings(s -> s.scopes(Set.of("mcp", "admin")).defaultScopes(Set.of("mcp"))
                .resource(OTHER_RESOURCE));
        client = fx.publicClient();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private static Map<String, List<String>> redeemForm(McpClient c, String code, String verifier) {
        return form("grant_type", "authorization_code", "code", code, "redirect_uri", c.redirectUri(),
                "code_verifier", verifier);
    }

    private void assertRedeemable(McpClient c, String code, String verifier) throws Exception {
        HttpResponse<String> r = c.redeem(code, verifier);
        assertThat(r.statusCode()).as("the code is still redeemable: %s", r.body()).isEqualTo(200);
    }

    @Test
    void case12_whenCodeReplayedThenInvalidGrantAndEverythingItIssuedIsRevoked() throws Exception {
        SecurityFixture.Tokens t = fx.grant(client, "alice");
        assertThat(fx.active(t.accessToken())).isTrue();

        assertOAuthError(client.redeem(t.code(), t.verifier()), 400, "invalid_grant");

        assertThat(fx.active(t.accessToken())).as("access token of the replayed code").isFalse();
        assertOAuthError(client.refresh(t.refreshToken()), 400, "invalid_grant");
        assertThat(fx.audit.count(AuditEvent.Type.CODE_REPLAYED)).isEqualTo(1);
        // A third attempt is the same answer, not a success nor a server error.
        assertOAuthError(client.redeem(t.code(), t.verifier()), 400, "invalid_grant");
    }

    @Test
    void case13_whenOneCodeRedeemedConcurrentlyThenExactlyOneSucceeds() throws Exception {
        int n = 8;
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(client, pkce, "alice");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<HttpResponse<String>> redeem = () -> {
                    go.await();
                    return redeemAs(client, code, pkce.verifier());
                };
                results.add(pool.submit(redeem));
            }
            go.countDown();
            int ok = 0;
            for (Future<HttpResponse<String>> f : results) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertOAuthError(r, 400, "invalid_grant");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // The losers are replays: the grant the winner got is revoked too (RFC 9700 §4.2.4).
        assertThat(fx.audit.count(AuditEvent.Type.CODE_REDEEMED)).isEqualTo(1);
        assertThat(fx.audit.count(AuditEvent.Type.CODE_REPLAYED)).isEqualTo(n - 1);
    }

    /** A token request on a fresh connection, so concurrent requests really run in parallel. */
    private HttpResponse<String> redeemAs(McpClient c, String code, String verifier) throws Exception {
        HttpRequest req = fx.request("/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(redeemForm(c, code, verifier))
                        + "&client_id=" + URLEncoder.encode(c.clientId(), StandardCharsets.UTF_8)))
                .build();
        return fx.send(req);
    }

    @Test
    void case14_whenCodeVerifierWrongOrMissingThenInvalidGrantOrInvalidRequestAndCodeNotConsumed()
            throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(client, pkce, "alice");

        assertOAuthError(client.redeem(code, McpClient.pkce().verifier()), 400, "invalid_grant");
        assertOAuthError(client.redeem(code, pkce.challenge()), 400, "invalid_grant"); // the challenge itself
        assertOAuthError(client.redeem(code, pkce.verifier() + "x"), 400, "invalid_grant");
        Map<String, List<String>> noVerifier = redeemForm(client, code, "");
        noVerifier.remove("code_verifier");
        assertOAuthError(client.token(noVerifier), 400, "invalid_request");
        // A verifier that is not 43 to 128 unreserved characters is refused before any comparison.
        assertOAuthError(client.redeem(code, "short"), 400, "invalid_request");
        assertOAuthError(client.redeem(code, "x".repeat(129)), 400, "invalid_request");
        assertOAuthError(client.redeem(code, "é".repeat(50)), 400, "invalid_request");

        // PKCE downgrade: the server never issues a code without a challenge, so no verifier-less code exists
        // (case 4); a verifier on any code is always checked against its S256 challenge.
        assertThat(fx.audit.count(AuditEvent.Type.CODE_REPLAYED)).isZero();
        assertRedeemable(client, code, pkce.verifier());
    }

    @Test
    void case15_whenCodeRedeemedByOtherClientOrOtherRedirectUriOrExpiredThenInvalidGrant() throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(client, pkce, "alice");
        McpClient other = fx.publicClient();

        assertOAuthError(other.redeem(code, pkce.verifier()), 400, "invalid_grant");
        Map<String, List<String>> otherPort = redeemForm(client, code, pkce.verifier());
        otherPort.put("redirect_uri", List.of("http://127.0.0.1:10/callback"));
        assertOAuthError(client.token(otherPort), 400, "invalid_grant");
        Map<String, List<String>> trailing = redeemForm(client, code, pkce.verifier());
        trailing.put("redirect_uri", List.of(client.redirectUri() + "/"));
        assertOAuthError(client.token(trailing), 400, "invalid_grant");
        Map<String, List<String>> omitted = redeemForm(client, code, pkce.verifier());
        omitted.remove("redirect_uri");
        assertOAuthError(client.token(omitted), 400, "invalid_grant");
        assertRedeemable(client, code, pkce.verifier());

        // Expiry: the code lives about a minute.
        assertThat(fx.server.oauth().server().settings().authorizationCodeLifetime())
                .isLessThanOrEqualTo(Duration.ofMinutes(1));
        McpClient.Pkce pkce2 = McpClient.pkce();
        String late = fx.code(client, pkce2, "alice");
        fx.clock.advance(Duration.ofSeconds(61));
        assertOAuthError(client.redeem(late, pkce2.verifier()), 400, "invalid_grant");
    }

    @Test
    void case16_whenClientSecretBadThen401BasicChallengeAndTwoMethodsInvalidRequestAndCodeNotConsumed()
            throws Exception {
        McpClient basic = fx.client("client_secret_basic");
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(basic, pkce, "alice");
        Map<String, List<String>> f = redeemForm(basic, code, pkce.verifier());

        HttpResponse<String> wrong = fx.browser.post(fx.uri("/oauth2/token"), f, "Authorization",
                basicAuth(basic.clientId(), basic.clientSecret() + "x"));
        assertOAuthError(wrong, 401, "invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic"));
        HttpResponse<String> unknown = fx.browser.post(fx.uri("/oauth2/token"), f, "Authorization",
                basicAuth("no-such-client", basic.clientSecret()));
        assertOAuthError(unknown, 401, "invalid_client");
        assertThat(unknown.body()).isEqualTo(wrong.body()); // no oracle for client ids

        // The same client authenticating with the wrong method (post instead of its registered basic).
        Map<String, List<String>> post = redeemForm(basic, code, pkce.verifier());
        post.put("client_id", List.of(basic.clientId()));
        post.put("client_secret", List.of(basic.clientSecret()));
        assertOAuthError(fx.browser.post(fx.uri("/oauth2/token"), post), 401, "invalid_client");

        // Two methods in one request: Basic and client_secret in the body.
        assertOAuthError(fx.browser.post(fx.uri("/oauth2/token"), post, "Authorization",
                basicAuth(basic.clientId(), basic.clientSecret())), 400, "invalid_request");

        // client_secret_post with a bad secret: 401 (no Basic challenge needed).
        McpClient postClient = fx.client("client_secret_post");
        Map<String, List<String>> bad = redeemForm(postClient, code, pkce.verifier());
        bad.put("client_id", List.of(postClient.clientId()));
        bad.put("client_secret", List.of("wrong"));
        assertOAuthError(fx.browser.post(fx.uri("/oauth2/token"), bad), 401, "invalid_client");

        assertThat(fx.audit.count(AuditEvent.Type.AUTHENTICATION_FAILED)).isGreaterThanOrEqualTo(4);
        assertRedeemable(basic, code, pkce.verifier());
    }

    static String basicAuth(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void case17_whenTokenRequestNamesResourceNotGrantedThenInvalidTarget() throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(client, pkce, "alice"); // granted for <issuer>/mcp only
        for (String r : List.of(OTHER_RESOURCE, "https://evil.example/mcp", "/mcp", fx.issuer() + "/mcp#x")) {
            Map<String, List<String>> f = redeemForm(client, code, pkce.verifier());
            f.put("resource", List.of(r));
            assertOAuthError(client.token(f), 400, "invalid_target");
        }
        Map<String, List<String>> granted = redeemForm(client, code, pkce.verifier());
        granted.put("resource", List.of(fx.issuer() + "/mcp"));
        HttpResponse<String> ok = client.token(granted);
        assertThat(ok.statusCode()).isEqualTo(200);
        String refresh = McpClient.json(ok).get("refresh_token").asText();

        Map<String, List<String>> widen = form("grant_type", "refresh_token", "refresh_token", refresh,
                "resource", OTHER_RESOURCE);
        assertOAuthError(client.token(widen), 400, "invalid_target");
        HttpResponse<String> still = client.refresh(refresh);
        assertThat(still.statusCode()).as("refresh token still usable").isEqualTo(200);
        JWTClaimsSet at = AccessTokenClaims.of(fx.server.oauth(), McpClient.json(still).get("access_token").asText());
        assertThat(at.getAudience()).containsExactly(fx.issuer() + "/mcp");
    }

    @Test
    void case18_whenRefreshTokenReusedOrForeignOrWiderScopeThenRejectedAndReuseRevokesTheFamily()
            throws Exception {
        SecurityFixture.Tokens t = fx.grant(client, "alice");

        // another client's refresh token
        McpClient other = fx.publicClient();
        assertOAuthError(other.refresh(t.refreshToken()), 400, "invalid_grant");
        // wider scope than granted
        assertOAuthError(client.token(form("grant_type", "refresh_token", "refresh_token", t.refreshToken(),
                "scope", "mcp admin")), 400, "invalid_scope");
        // neither failure consumed the token; a narrower scope is fine
        HttpResponse<String> rotated = client.token(form("grant_type", "refresh_token", "refresh_token",
                t.refreshToken(), "scope", "mcp"));
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode r1 = McpClient.json(rotated);
        String refresh2 = r1.get("refresh_token").asText();
        String access2 = r1.get("access_token").asText();
        HttpResponse<String> r3 = client.refresh(refresh2);
        String refresh3 = McpClient.json(r3).get("refresh_token").asText();
        String access3 = McpClient.json(r3).get("access_token").asText();
        assertThat(fx.active(access3)).isTrue();

        // reuse of a rotated-out token: invalid_grant, and the whole family dies
        assertOAuthError(client.refresh(t.refreshToken()), 400, "invalid_grant");
        assertOAuthError(client.refresh(refresh3), 400, "invalid_grant");
        for (String access : List.of(t.accessToken(), access2, access3)) {
            assertThat(fx.active(access)).isFalse();
        }
        assertThat(fx.audit.count(AuditEvent.Type.REFRESH_TOKEN_REUSED)).isEqualTo(1);
    }

    @Test
    void case19_whenTokenTokenErrorRegistrationOrIntrospectionResponseThenNoStore() throws Exception {
        List<HttpResponse<String>> responses = new ArrayList<>();
        McpClient basic = fx.client("client_secret_basic");
        responses.add(basic.register("client_secret_basic")); // registration, 201
        responses.add(basic.postJson(fx.uri("/oauth2/register"), "{\"redirect_uris\":[\"javascript:x\"]}"));
        SecurityFixture.Tokens t = fx.grant(basic, "alice");
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(basic, pkce, "alice");
        responses.add(basic.redeem(code, pkce.verifier())); // token, 200
        responses.add(basic.redeem(code, pkce.verifier())); // token error, 400
        responses.add(basic.refresh(t.refreshToken())); // refresh, 200
        responses.add(fx.browser.post(fx.uri("/oauth2/token"), form("grant_type", "refresh_token",
                "refresh_token", "x"), "Authorization", basicAuth(basic.clientId(), "bad"))); // 401
        responses.add(fx.browser.post(fx.uri("/oauth2/token"), form("grant_type", "password"))); // 400/401
        responses.add(fx.introspect(t.accessToken())); // introspection, 200
        responses.add(fx.browser.post(fx.uri("/oauth2/introspect"), form("token", t.accessToken()))); // 401
        responses.add(basic.authenticated(fx.uri("/oauth2/revoke"), form("token", "x"))); // revocation, 200
        responses.add(fx.browser.get(fx.uri("/oauth2/token"))); // 405
        for (HttpResponse<String> r : responses) {
            assertThat(r.headers().firstValue("Cache-Control")).as("%s %s -> %d %s", r.request().method(),
                    r.uri().getPath(), r.statusCode(), r.body()).hasValue("no-store");
            if (r.uri().getPath().endsWith("/token")) {
                assertThat(r.headers().firstValue("Pragma")).hasValue("no-cache");
            }
        }
    }
}
