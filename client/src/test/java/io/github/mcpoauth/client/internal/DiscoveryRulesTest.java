package io.github.mcpoauth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class DiscoveryRulesTest {

    @Test
    void whenIssuerHasAPathThenMetadataUrlsFollowTheMcpOrder() {
        assertThat(Discovery.metadataUrls("https://as.example/tenant1")).containsExactly(
                URI.create("https://as.example/.well-known/oauth-authorization-server/tenant1"),
                URI.create("https://as.example/.well-known/openid-configuration/tenant1"),
                URI.create("https://as.example/tenant1/.well-known/openid-configuration"));
    }

    @Test
    void whenIssuerHasNoPathThenOAuthThenOpenIdMetadataIsTried() {
        assertThat(Discovery.metadataUrls("https://as.example")).containsExactly(
                URI.create("https://as.example/.well-known/oauth-authorization-server"),
                URI.create("https://as.example/.well-known/openid-configuration"));
    }

    @Test
    void whenResourceIsTheServerUrlOrAPathPrefixThenItMatches() {
        URI server = URI.create("https://mcp.example/api/mcp");
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example/api/mcp"), server)).isTrue();
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example/api/mcp/"), server)).isTrue();
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example"), server)).isTrue();
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example/api"), server)).isTrue();
    }

    @Test
    void whenResourceIsElsewhereThenItDoesNotMatch() {
        URI server = URI.create("https://mcp.example/api/mcp");
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example/ap"), server)).isFalse();
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example/api/mcp/x"), server)).isFalse();
        assertThat(Discovery.resourceMatches(URI.create("https://mcp.example:8443/api/mcp"), server)).isFalse();
        assertThat(Discovery.resourceMatches(URI.create("http://mcp.example/api/mcp"), server)).isFalse();
        assertThat(Discovery.resourceMatches(URI.create("https://evil.example/api/mcp"), server)).isFalse();
    }

    @Test
    void whenChallengeHasQuotedParametersThenTheyAreRead() {
        Challenge c = Challenge.parse(List.of("Basic realm=\"x\"", "Bearer error=\"insufficient_scope\", "
                + "scope=\"a b\", resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource\""));
        assertThat(c.error()).contains("insufficient_scope");
        assertThat(c.scope()).contains("a b");
        assertThat(c.resourceMetadata()).contains("https://mcp.example/.well-known/oauth-protected-resource");
    }

    @Test
    void whenChallengeIsMalformedOrHugeThenNothingIsRead() {
        assertThat(Challenge.parse(List.of("Bearer"))).isEqualTo(Challenge.none());
        assertThat(Challenge.parse(List.of("Bearer scope=\"" + "a".repeat(10_000) + "\""))).isEqualTo(Challenge.none());
        assertThat(Challenge.parse(List.of("Bearer error=\"unterminated")).error()).contains("unterminated");
    }
}
