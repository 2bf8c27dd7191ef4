package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code offline_access} as SEP-2207 (MCP 2026-07-28) has it: listed by the authorization server when configured,
 * never in protected resource metadata or in a challenge; asked for when not offered, it is ignored rather than
 * answered {@code invalid_scope}.
 */
class OfflineAccessTest {

    @Test
    void whenOfflineAccessNotOfferedThenRequestingItStillGetsACode() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start()) {
            McpClient client = fx.publicClient();
            McpClient.Pkce pkce = McpClient.pkce();
            HttpResponse<String> r = fx.authorizeAs(fx.browser,
                    client.authorizeUri(pkce, "st", "scope", "mcp offline_access"), "alice");
            if (r.statusCode() == 200) {
                r = client.approve(r.body(), "approve");
            }
            assertThat(Browser.query(Browser.location(r))).containsKey("code").doesNotContainKey("error");
        }
    }

    @Test
    void whenOfflineAccessConfiguredThenListedByTheServerButNeverByTheResourceOrItsChallenge() throws Exception {
        try (SecurityFixture fx = SecurityFixture.withSettings(s -> s.scopes(Set.of("mcp", "offline_access")))) {
            String as = fx.send(fx.request("/.well-known/oauth-authorization-server").build()).body();
            assertThat(as).contains("offline_access");
            String prm = fx.send(fx.request("/.well-known/oauth-protected-resource/mcp").build()).body();
            assertThat(prm).contains("\"mcp\"").doesNotContain("offline_access");
            HttpResponse<String> challenge = fx.send(fx.request("/mcp").POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().allValues("WWW-Authenticate")).noneMatch(h -> h.contains("offline_access"));

            McpClient client = fx.publicClient();
            McpClient.Pkce pkce = McpClient.pkce();
            HttpResponse<String> r = fx.authorizeAs(fx.browser,
                    client.authorizeUri(pkce, "st", "scope", "mcp offline_access"), "alice");
            if (r.statusCode() == 200) {
                r = client.approve(r.body(), "approve");
            }
            assertThat(Browser.query(Browser.location(r))).containsKey("code");
        }
    }
}
