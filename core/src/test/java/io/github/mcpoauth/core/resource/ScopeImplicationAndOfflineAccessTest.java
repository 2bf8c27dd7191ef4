package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.error.OAuthException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scope implication hook the guard uses, and {@code offline_access} kept out of resource metadata (SEP-2207). */
class ScopeImplicationAndOfflineAccessTest {

    private static ProtectedResourceSettings.Builder settings() {
        return ProtectedResourceSettings.builder().resource("https://rs.example.com/mcp")
                .authorizationServer("https://as.example.com");
    }

    private static AccessTokenPrincipal holding(String... scopes) {
        return new AccessTokenPrincipal("alice", "c1", Set.of(scopes), List.of("https://rs.example.com/mcp"),
                URI.create("https://as.example.com"), Instant.now().plusSeconds(60), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void whenWriteImpliesReadThenWriteTokenPassesAReadCheckButNotTheReverse() {
        ProtectedResourceSettings s = settings().scopesSupported(List.of("mcp:read", "mcp:write", "mcp:admin"))
                .impliedScopes("mcp:admin", List.of("mcp:write")).impliedScopes("mcp:write", List.of("mcp:read"))
                .build();
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(s).localKeys(com.nimbusds.jose.jwk.JWKSet::new)
                .build();
        verifier.requireScopes(holding("mcp:write"), List.of("mcp:read"));
        verifier.requireScopes(holding("mcp:admin"), List.of("mcp:read")); // transitively
        assertThatThrownBy(() -> verifier.requireScopes(holding("mcp:read"), List.of("mcp:write")))
                .isInstanceOf(OAuthException.class)
                .satisfies(e -> assertThat(((OAuthException) e).error().getCode()).isEqualTo("insufficient_scope"));
        assertThat(s.grants(Set.of("mcp:read"), Set.of())).isTrue();
    }

    @Test
    void whenOfflineAccessIsConfiguredThenNeverInResourceMetadataOrChallenges() {
        ProtectedResourceSettings s = settings().scopesSupported(List.of("mcp", "offline_access"))
                .requiredScopes(List.of("mcp", "offline_access")).build();
        assertThat(s.scopesSupported()).containsExactly("mcp");
        assertThat(s.requiredScopes()).containsExactly("mcp");
        assertThat(ProtectedResourceMetadataDocument.of(s).toJson()).doesNotContain("offline_access");
        assertThat(BearerChallenge.of(s, null)).doesNotContain("offline_access");
    }
}
