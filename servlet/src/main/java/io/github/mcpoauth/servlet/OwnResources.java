package io.github.mcpoauth.servlet;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.internal.token.SameAppResources;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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
                .allowedAlgorithms(
                        Stream.of(JWSAlgorithm.ES256, s.signingAlgorithm()).distinct().toList()) // ES256: older keys
                .build()).toList();
        // Both forms: MAC'd same-app tokens (compact or HS256, under our derived keys only) and signed JWTs.
        settings.forEach(p -> verifiers.put(p.resource(), AccessTokenVerifier.builder(p)
                .jwkSource(server.signingKeys().jwkSource())
                .sameAppMacKeys(server.accessTokens().macKeys()::verifier)
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

    /** The resources of {@code settings} that McpOAuth guards itself when it protects resources. */
    static List<URI> servedHere(AuthorizationServerSettings settings) {
        return settings.resources().stream().filter(r -> SameAppResources.sameOrigin(settings.issuer(), r)).toList();
    }

    boolean sameOrigin(URI resource) {
        return SameAppResources.sameOrigin(server.settings().issuer(), resource);
    }

    AccessTokenVerifier verifier(URI resource) {
        AccessTokenVerifier verifier = verifiers.get(resource);
        if (verifier == null) {
            throw new IllegalArgumentException(resource + " is not a resource of this server");
        }
        return verifier;
    }
}
