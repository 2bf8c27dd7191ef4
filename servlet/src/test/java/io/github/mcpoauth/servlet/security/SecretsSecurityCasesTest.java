package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.core.internal.authorization.AuthorizationOutcome;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.consent.ConsentView;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md case 34: codes, tokens, secrets and verifiers never show in logs (at the finest level), in
 * {@code toString()}, in error responses, and never reach a store other than as their hash.
 */
class SecretsSecurityCasesTest {

    @Test
    void case34_whenFlowAndFailuresRunThenNoSecretInLogsToStringOrErrorsAndStoresSeeOnlyHashes() throws Exception {
        AtomicReference<RecordingStores> recording = new AtomicReference<>();
        List<String> secrets = new ArrayList<>();
        List<HttpResponse<String>> errors = new ArrayList<>();
        String logText;
        List<AuditEvent> events;
        try (LogCapture logs = new LogCapture();
                SecurityFixture fx = SecurityFixture.withStores(clock -> {
                    recording.set(new RecordingStores(clock));
                    return recording.get().stores();
                }, o -> { })) {
            // A public client: a grant, a rotation, a replay, a reuse.
            McpClient pub = fx.publicClient();
            SecurityFixture.Tokens t1 = fx.grant(pub, "alice");
            HttpResponse<String> rotated = pub.refresh(t1.refreshToken());
            JsonNode r = McpClient.json(rotated);
            secrets.addAll(List.of(t1.code(), t1.verifier(), t1.accessToken(), t1.refreshToken(),
                    r.get("access_token").asText(), r.get("refresh_token").asText()));
            errors.add(pub.refresh(t1.refreshToken()));
            errors.add(pub.redeem(t1.code(), t1.verifier()));

            // A confidential client: failures carrying its real secret, code and verifier, then success.
            McpClient conf = fx.client("client_secret_basic");
            secrets.add(conf.clientSecret());
            McpClient.Pkce pkce = McpClient.pkce();
            String code = fx.code(conf, pkce, "alice");
            secrets.addAll(List.of(code, pkce.verifier()));
            errors.add(conf.redeem(code, t1.verifier()));
            Map<String, List<String>> post = form("grant_type", "authorization_code", "code", code, "redirect_uri",
                    conf.redirectUri(), "code_verifier", pkce.verifier(), "client_id", conf.clientId(),
                    "client_secret", conf.clientSecret());
            errors.add(fx.browser.post(fx.uri("/oauth2/token"), post));
            errors.add(fx.browser.post(fx.uri("/oauth2/token"), post, "Authorization",
                    TokenEndpointSecurityCasesTest.basicAuth(conf.clientId(), conf.clientSecret())));
            errors.add(fx.browser.post(fx.uri("/oauth2/token"), post, "Authorization",
                    "Basic " + conf.clientSecret()));
            errors.add(pub.redeem(code, pkce.verifier())); // another client's code
            HttpResponse<String> ok = conf.redeem(code, pkce.verifier());
            JsonNode t = McpClient.json(ok);
            secrets.addAll(List.of(t.get("access_token").asText(), t.get("refresh_token").asText()));
            errors.add(fx.browser.post(fx.uri("/oauth2/introspect"), form("token", t.get("access_token").asText())));
            errors.add(fx.browser.post(fx.uri("/oauth2/introspect"), form("token", t.get("refresh_token").asText(),
                    "client_id", conf.clientId(), "client_secret", conf.clientSecret() + "x")));
            assertThat(fx.active(t.get("access_token").asText())).isTrue();
            assertThat(conf.authenticated(fx.uri("/oauth2/revoke"),
                    form("token", t.get("refresh_token").asText())).statusCode()).isEqualTo(200);
            errors.add(conf.refresh(t.get("refresh_token").asText()));

            // The consent form's CSRF token.
            McpClient fresh = fx.publicClient();
            String html = fx.consentPage(fx.browser, fresh, McpClient.pkce(), "alice").body();
            String csrf = Browser.hiddenFields(html).get("csrf_token").get(0);
            secrets.add(csrf);
            Map<String, List<String>> wrong = new LinkedHashMap<>(Browser.hiddenFields(html));
            wrong.put("csrf_token", List.of(csrf + "x"));
            wrong.put("decision", List.of("approve"));
            errors.add(fx.browser.post(fx.uri(Browser.formAction(html)), wrong));

            logText = logs.text();
            events = fx.audit.events();
        }
        assertThat(errors).allSatisfy(e -> assertThat(e.statusCode()).isBetween(400, 499));
        assertThat(logText).as("log output").contains("CODE_REPLAYED", "REFRESH_TOKEN_REUSED",
                "AUTHENTICATION_FAILED");
        String stored = recording.get().dump();
        for (String secret : secrets) {
            String name = secret.length() > 12 ? secret.substring(0, 12) + "…" : secret;
            assertThat(logText).as("logs contain %s", name).doesNotContain(secret);
            for (String part : secret.split("\\.")) {
                if (part.length() >= 40) { // a JWT's signature, or an opaque value
                    assertThat(logText).as("logs contain part of %s", name).doesNotContain(part);
                }
            }
            for (HttpResponse<String> e : errors) {
                assertThat(e.body()).as("error response %s contains %s", e.body(), name).doesNotContain(secret);
            }
            assertThat(stored).as("a store saw %s raw", name).doesNotContain(secret);
            assertThat(events.toString()).as("audit events contain %s", name).doesNotContain(secret);
        }
        // ... while the stores did see the hashes: stored and looked up only as hashes.
        assertThat(stored).as("code, refresh token and client secret hashes")
                .contains(Secrets.hash(secrets.get(0)), Secrets.hash(secrets.get(3)), Secrets.hash(secrets.get(6)));

        // toString of the values that carry secrets
        String code = secrets.get(0);
        AuthorizationOutcome.Redirect redirect = new AuthorizationOutcome.Redirect(
                URI.create("https://app.example/cb?code=" + code + "&state=s"), false);
        assertThat(redirect.toString()).doesNotContain(code).contains("https://app.example/cb");
        String csrf = secrets.get(secrets.size() - 1);
        ConsentView view = new ConsentView("c", "id", "app.example", List.of("mcp"), List.of("https://x/mcp"),
                "alice", "/oauth2/authorize/consent", Map.of("csrf_token", List.of(csrf), "state", List.of("s")));
        assertThat(view.toString()).doesNotContain(csrf).contains("csrf_token");
        OAuthException e = OAuthException.invalidGrant("The authorization code is invalid or expired");
        assertThat(e.toString() + e.getMessage()).doesNotContain(code);

        // Presented secrets are hashed and compared with the stored hash in constant time (MessageDigest.isEqual);
        // lookups go by hash, so no comparison ever runs on a raw stored value.
        String secret = secrets.get(6);
        assertThat(Secrets.matches(secret, Secrets.hash(secret))).isTrue();
        assertThat(Secrets.matches(secret.substring(1), Secrets.hash(secret))).isFalse();
        assertThat(Secrets.constantTimeEquals(secret, secret + "x")).isFalse();
    }
}
