package io.github.mcpoauth.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationServerSettingsTest {

    private static AuthorizationServerSettings.Builder valid() {
        return AuthorizationServerSettings.builder().issuer("https://as.example.com");
    }

    @Test
    void whenOnlyIssuerIsSetThenDefaultsApply() {
        AuthorizationServerSettings s = valid().build();

        assertThat(s.issuer()).isEqualTo(URI.create("https://as.example.com"));
        assertThat(s.resources()).containsExactly(URI.create("https://as.example.com/mcp"));
        assertThat(s.scopes()).containsExactly("mcp");
        assertThat(s.defaultScopes()).containsExactly("mcp");
        assertThat(s.accessTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(s.refreshTokenLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(s.authorizationCodeLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.paths()).isEqualTo(EndpointPaths.defaults());
        assertThat(s.clock()).isEqualTo(Clock.systemUTC());
    }

    @Test
    void whenIssuerHasPathThenEndpointsAreUnderIt() {
        AuthorizationServerSettings s = AuthorizationServerSettings.builder().issuer("https://example.com/as").build();

        assertThat(s.endpoint(s.paths().token())).isEqualTo(URI.create("https://example.com/as/oauth2/token"));
        assertThat(s.resources()).containsExactly(URI.create("https://example.com/mcp"));
    }

    @Test
    void whenIssuerIsMissingThenBuildFailsNamingIssuer() {
        assertThatThrownBy(() -> AuthorizationServerSettings.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
    }

    @Test
    void whenIssuerIsNullThenSetterFailsNamingIssuer() {
        assertThatThrownBy(() -> AuthorizationServerSettings.builder().issuer((String) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("issuer");
        assertThatThrownBy(() -> AuthorizationServerSettings.builder().issuer((URI) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("issuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "as.example.com",                     // relative
        "/as",                                // relative
        "http://as.example.com",              // plain http, not loopback
        "http://127.0.0.1.example.com",       // looks like loopback, is not
        "https://as.example.com?tenant=1",    // query
        "https://as.example.com#frag",        // fragment
        "https://as.example.com/",            // trailing slash
        "https://as.example.com/tenant/",     // trailing slash
        "https://user:pw@as.example.com",     // user info
        "ftp://as.example.com",               // other scheme
        "urn:example:as",                     // no host
        "https:///path",                      // no host
        "not a uri"                           // unparseable
    })
    void whenIssuerIsNotAnHttpsUrlWithoutQueryFragmentOrTrailingSlashThenSetterFailsNamingIssuer(String issuer) {
        assertThatThrownBy(() -> AuthorizationServerSettings.builder().issuer(issuer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("issuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1", "http://127.1.2.3:9000/as",
        "http://[::1]:8080", "https://as.example.com", "https://as.example.com:8443/tenant/a"})
    void whenIssuerIsHttpsOrLoopbackHttpThenItIsAccepted(String issuer) {
        assertThat(AuthorizationServerSettings.builder().issuer(issuer).build().issuer()).hasToString(issuer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://mcp.example.com/mcp", "https://mcp.example.com/mcp#x",
        "https://mcp.example.com/mcp?a=b", "https://mcp.example.com/mcp/", "mcp", "//mcp.example.com/mcp"})
    void whenResourceIsBadThenSetterFailsNamingResource(String resource) {
        assertThatThrownBy(() -> valid().resource(resource))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("resource");
    }

    @Test
    void whenResourceIsAddedTwiceThenSetterFailsNamingIt() {
        AuthorizationServerSettings.Builder b = valid().resource("https://mcp.example.com/mcp");

        assertThatThrownBy(() -> b.resource(URI.create("https://mcp.example.com/mcp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resource").hasMessageContaining("https://mcp.example.com/mcp");
    }

    @Test
    void whenResourcesAreAddedThenFirstIsDefaultAndProtectsIsExact() {
        AuthorizationServerSettings s = valid().resource("https://a.example.com/mcp")
                .resource("https://b.example.com/mcp").build();

        assertThat(s.resources()).containsExactly(URI.create("https://a.example.com/mcp"),
                URI.create("https://b.example.com/mcp"));
        assertThat(s.protects(URI.create("https://b.example.com/mcp"))).isTrue();
        assertThat(s.protects(URI.create("https://b.example.com/mcp/x"))).isFalse();
        assertThat(s.protects(URI.create("https://b.example.com"))).isFalse();
    }

    @Test
    void whenLifetimeIsOutOfRangeThenSetterFailsNamingTheField() {
        assertThatThrownBy(() -> valid().accessTokenLifetime(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("accessTokenLifetime");
        assertThatThrownBy(() -> valid().accessTokenLifetime(Duration.ofDays(1).plusSeconds(1)))
                .hasMessageStartingWith("accessTokenLifetime");
        assertThatThrownBy(() -> valid().accessTokenLifetime(Duration.ofMinutes(-5)))
                .hasMessageStartingWith("accessTokenLifetime");
        assertThatThrownBy(() -> valid().refreshTokenLifetime(Duration.ofSeconds(30)))
                .hasMessageStartingWith("refreshTokenLifetime");
        assertThatThrownBy(() -> valid().refreshTokenLifetime(Duration.ofDays(367)))
                .hasMessageStartingWith("refreshTokenLifetime");
        assertThatThrownBy(() -> valid().authorizationCodeLifetime(Duration.ZERO))
                .hasMessageStartingWith("authorizationCodeLifetime");
        assertThatThrownBy(() -> valid().authorizationCodeLifetime(Duration.ofMinutes(11)))
                .hasMessageStartingWith("authorizationCodeLifetime");
        assertThatThrownBy(() -> valid().accessTokenLifetime(null))
                .isInstanceOf(NullPointerException.class).hasMessage("accessTokenLifetime");
    }

    @Test
    void whenLifetimesAreAtTheBoundsThenTheyAreAccepted() {
        AuthorizationServerSettings s = valid().accessTokenLifetime(Duration.ofMinutes(1))
                .refreshTokenLifetime(Duration.ofDays(366)).authorizationCodeLifetime(Duration.ofMinutes(10)).build();

        assertThat(s.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.refreshTokenLifetime()).isEqualTo(Duration.ofDays(366));
        assertThat(s.authorizationCodeLifetime()).isEqualTo(Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "quote\"d", "back\\slash", "tab\t", "caf\u00e9"})
    void whenScopeIsNotAScopeTokenThenSetterFailsNamingScopes(String scope) {
        assertThatThrownBy(() -> valid().scopes(Set.of("mcp", scope)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("scopes");
    }

    @Test
    void whenScopeHasACommaOrIsLongerThan128ThenSetterFailsNamingScopes() {
        // The rule protected resources use (BuilderChecks.scopeToken), so every scope here can be advertised there.
        for (String scope : List.of("read,write", ",", "x".repeat(129))) {
            assertThatThrownBy(() -> valid().scopes(Set.of("mcp", scope)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("scopes");
        }
        assertThat(valid().scopes(Set.of("x".repeat(128))).build().scopes()).containsExactly("x".repeat(128));
    }

    @Test
    void whenScopesAreValidTokensThenTheyReplaceTheDefault() {
        AuthorizationServerSettings s = valid().scopes(Set.of("mcp:read", "tools/call", "x!#[]~")).build();

        assertThat(s.scopes()).containsExactlyInAnyOrder("mcp:read", "tools/call", "x!#[]~");
        assertThat(s.defaultScopes()).isEqualTo(s.scopes());
    }

    @Test
    void whenDefaultScopesAreNotASubsetThenBuildFailsNamingDefaultScopes() {
        AuthorizationServerSettings.Builder b = valid().scopes(Set.of("a", "b")).defaultScopes(Set.of("a", "c"));

        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("defaultScopes");
    }

    @Test
    void whenDefaultScopesAreASubsetThenTheyAreKept() {
        assertThat(valid().scopes(Set.of("a", "b")).defaultScopes(Set.of("b")).build().defaultScopes())
                .containsExactly("b");
    }

    @Test
    void whenSettingsAreBuiltThenCollectionsAreUnmodifiable() {
        AuthorizationServerSettings s = valid().build();

        assertThatThrownBy(() -> s.scopes().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.resources().add(URI.create("https://x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "", "/", "/oauth2/", "//token", "/oauth2/../token", "/oauth2/./token",
        "/oauth2/..", "/..", "/.", "/.well-known/token", "/.well-known", "/a b", "/a?b", "/a#b",
        "https://x/token", "/t\u00e9"})
    void whenAPathIsBadThenEndpointPathsFailNamingIt(String bad) {
        EndpointPaths d = EndpointPaths.defaults();

        assertThatThrownBy(() -> new EndpointPaths(d.authorization(), bad, d.registration(), d.revocation(),
                d.introspection(), d.jwks()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("paths.token");
    }

    @Test
    void whenAPathIsNullThenEndpointPathsFailNamingIt() {
        EndpointPaths d = EndpointPaths.defaults();

        assertThatThrownBy(() -> new EndpointPaths(d.authorization(), d.token(), d.registration(), d.revocation(),
                d.introspection(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("paths.jwks");
    }

    @Test
    void whenTwoEndpointsShareAPathThenEndpointPathsFail() {
        assertThatThrownBy(() -> new EndpointPaths("/a", "/b", "/c", "/d", "/e", "/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("paths");
    }

    @Test
    void whenPathsAreCustomThenEndpointsUseThem() {
        AuthorizationServerSettings s = valid().paths(new EndpointPaths("/authorize", "/token", "/register",
                "/revoke", "/introspect", "/jwks.json")).build();

        assertThat(s.endpoint(s.paths().jwks())).hasToString("https://as.example.com/jwks.json");
        assertThat(s.paths().all()).hasSize(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]", "::1"})
    void whenHostIsLoopbackThenIsLoopbackIsTrue(String host) {
        assertThat(AuthorizationServerSettings.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost.example.com", "127.0.0.1.nip.io", "128.0.0.1", "0.0.0.0", "example.com",
        "[::2]", "10.0.0.1"})
    void whenHostIsNotLoopbackThenIsLoopbackIsFalse(String host) {
        assertThat(AuthorizationServerSettings.isLoopback(host)).isFalse();
        assertThat(AuthorizationServerSettings.isLoopback(null)).isFalse();
    }

    @Test
    void whenClockIsNullThenSetterFailsNamingClock() {
        assertThatThrownBy(() -> valid().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    @Test
    void whenServerIsBuiltWithoutSettingsThenItFailsNamingSettings() {
        assertThatThrownBy(() -> io.github.mcpoauth.core.AuthorizationServer.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("settings");
        assertThatThrownBy(() -> io.github.mcpoauth.core.AuthorizationServer.builder().settings(null))
                .isInstanceOf(NullPointerException.class).hasMessage("settings");
    }

    @Test
    void whenTwoServersAreBuiltFromOneSettingsThenTheyShareNothing() {
        AuthorizationServerSettings s = valid().build();
        var a = io.github.mcpoauth.core.AuthorizationServer.builder().settings(s).build();
        var b = io.github.mcpoauth.core.AuthorizationServer.builder().settings(s).build();

        assertThat(a.stores()).isNotSameAs(b.stores());
        assertThat(a.signingKeys().currentKey().getKeyID()).isNotEqualTo(b.signingKeys().currentKey().getKeyID());
    }
}
