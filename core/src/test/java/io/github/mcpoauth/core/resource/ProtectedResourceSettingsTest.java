package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectedResourceSettingsTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");

    @Test
    void buildWhenMinimalThenDefaults() {
        ProtectedResourceSettings s = ProtectedResourceSettings.builder()
                .resource("https://rs.example.com/mcp").authorizationServer("https://as.example.com").build();

        assertThat(s.allowedAlgorithms()).containsExactly(JWSAlgorithm.ES256);
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxTokenLength()).isEqualTo(8192);
        assertThat(s.requiredScopes()).isEmpty();
        assertThat(s.scopesSupported()).isEmpty();
        assertThat(s.resourceMetadataUrl())
                .isEqualTo(URI.create("https://rs.example.com/.well-known/oauth-protected-resource/mcp"));
    }

    @Test
    void resourceMetadataUrlWhenResourceHasNoPathThenRootWellKnown() {
        ProtectedResourceSettings s = ProtectedResourceSettings.builder()
                .resource("http://localhost:8080").authorizationServer("http://localhost:8080").build();

        assertThat(s.resourceMetadataUrl())
                .isEqualTo(URI.create("http://localhost:8080/.well-known/oauth-protected-resource"));
    }

    @Test
    void scopesSupportedWhenUnsetThenTheRequiredScopes() {
        ProtectedResourceSettings s = TestTokens.settings(clock).scopesSupported(List.of("mcp", "admin"))
                .requiredScopes(List.of("mcp")).build();
        ProtectedResourceSettings d = ProtectedResourceSettings.builder().resource("https://rs.example.com/mcp")
                .authorizationServer("https://as.example.com").requiredScopes(List.of("mcp")).build();

        assertThat(s.scopesSupported()).containsExactly("mcp", "admin");
        assertThat(d.scopesSupported()).containsExactly("mcp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://rs.example.com/mcp", "https://rs.example.com/mcp/",
            "https://rs.example.com/mcp?x=1", "https://rs.example.com/mcp#f", "/mcp",
            "https://user@rs.example.com/mcp"})
    void resourceWhenNotACanonicalUriThenFailsNamingTheField(String uri) {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().resource(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("resource");
    }

    @Test
    void buildWhenResourceOrAuthorizationServerMissingThenFailsNamingIt() {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().authorizationServer("https://as.example.com")
                .build()).hasMessageContaining("resource is required");
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().resource("https://rs.example.com/mcp")
                .build()).hasMessageContaining("authorizationServer is required");
    }

    @Test
    void allowedAlgorithmsWhenSymmetricOrNoneThenFails() {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512, new JWSAlgorithm("none"))) {
            assertThatThrownBy(() -> ProtectedResourceSettings.builder().allowedAlgorithms(List.of(alg)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("allowedAlgorithms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b", "a b", "a\"b", "a\\b", ""})
    void requiredScopesWhenNotAScopeTokenThenFails(String scope) {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().requiredScopes(List.of(scope)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("requiredScopes");
    }

    @Test
    void buildWhenRequiredScopesNotSupportedThenFails() {
        assertThatThrownBy(() -> TestTokens.settings(clock).requiredScopes(List.of("other")).build())
                .hasMessageContaining("requiredScopes");
    }

    @Test
    void clockSkewAndMaxTokenLengthWhenOutOfRangeThenFail() {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().clockSkew(Duration.ofMinutes(6)))
                .hasMessageStartingWith("clockSkew");
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().maxTokenLength(100))
                .hasMessageStartingWith("maxTokenLength");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://docs.example.com/mcp", "https://user@docs.example.com/mcp", "/docs",
        "ftp://docs.example.com/mcp"})
    void resourceDocumentationWhenNotHttpsThenFailsNamingIt(String url) {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().resourceDocumentation(URI.create(url)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("resourceDocumentation");
    }

    @Test
    void clockSkewWhenNegativeThenFailsNamingIt() {
        assertThatThrownBy(() -> ProtectedResourceSettings.builder().clockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clockSkew");
        assertThat(TestTokens.settings(clock).clockSkew(Duration.ZERO).build().clockSkew()).isZero();
    }

    @Test
    void metadataDocumentWhenRenderedThenRfc9728Fields() throws Exception {
        ProtectedResourceSettings s = TestTokens.settings(clock).resourceName("Example MCP")
                .resourceDocumentation(URI.create("https://docs.example.com/mcp")).build();

        ProtectedResourceMetadataDocument doc = ProtectedResourceMetadataDocument.of(s);
        JsonNode json = new ObjectMapper().readTree(doc.toJson());

        assertThat(json.get("resource").asText()).isEqualTo(TestTokens.RESOURCE);
        assertThat(json.get("authorization_servers").get(0).asText()).isEqualTo(TestTokens.ISSUER);
        assertThat(json.get("scopes_supported").toString()).isEqualTo("[\"mcp\",\"tools\",\"admin\"]");
        assertThat(json.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(json.get("resource_name").asText()).isEqualTo("Example MCP");
        assertThat(json.get("resource_documentation").asText()).isEqualTo("https://docs.example.com/mcp");
        assertThat(doc.path()).isEqualTo("/.well-known/oauth-protected-resource/mcp");
        assertThat(doc.url()).isEqualTo(s.resourceMetadataUrl());
    }

    @Test
    void metadataDocumentWhenNoScopesThenScopesSupportedOmitted() throws Exception {
        ProtectedResourceSettings s = ProtectedResourceSettings.builder().resource("https://rs.example.com")
                .authorizationServer("https://as.example.com").build();

        JsonNode json = new ObjectMapper().readTree(ProtectedResourceMetadataDocument.of(s).toJson());

        assertThat(json.has("scopes_supported")).isFalse();
        assertThat(ProtectedResourceMetadataDocument.of(s).path()).isEqualTo("/.well-known/oauth-protected-resource");
    }
}
