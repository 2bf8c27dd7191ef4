package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The protected resources of one {@link McpOAuth}: their RFC 9728 settings and one same-app verifier each (made
 * once, so its cache of verified tokens is shared by every guard of that resource).
 */
final class OwnResources {

    private final AuthorizationServer server;
    private final List<ProtectedResourceSettings> settings;
    private final Map<URI, AccessTokenVerifier> verifiers = new LinkedHashMap<>();

    OwnResources(AuthorizationServer server, Set<String> requiredScopes) {
        this.server = server;
        AuthorizationServerSettings s = server.settings();
        Set<String> required = requiredScopes != null ? requiredScopes : s.defaultScopes();
        this.settings = s.resources().stream().map(r -> ProtectedResourceSettings.builder()
                .resource(r)
                .authorizationServer(s.issuer())
                .scopesSupported(s.scopes())
                .requiredScopes(required)
                .clock(s.clock())
                .dpop(s.dpop().orElse(null))
                .build()).toList();
        settings.forEach(p -> verifiers.put(p.resource(), AccessTokenVerifier.builder(p)
                .jwkSource(server.signingKeys().jwkSource())
                .revocationCheck(server.revocationCheck())
                .build()));
    }

    List<ProtectedResourceSettings> settings() {
        return settings;
    }

    /** The resources on the issuer's origin: the ones this server's guards protect. */
    List<ProtectedResourceSettings> servedHere() {
        return settings.stream().filter(p -> sameOrigin(p.resource())).toList();
    }

    boolean sameOrigin(URI resource) {
        URI issuer = server.settings().issuer();
        return Objects.equals(resource.getScheme(), issuer.getScheme())
                && Objects.equals(resource.getRawAuthority(), issuer.getRawAuthority());
    }

    AccessTokenVerifier verifier(URI resource) {
        AccessTokenVerifier verifier = verifiers.get(resource);
        if (verifier == null) {
            throw new IllegalArgumentException(resource + " is not a resource of this server");
        }
        return verifier;
    }
}
