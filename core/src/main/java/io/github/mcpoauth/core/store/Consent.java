package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A resource owner's remembered consent for one client: later requests for a subset of these scopes and
 * resources skip the consent page. Consent is never shared between clients (MCP security best practices,
 * "confused deputy").
 *
 * @param subject the resource owner
 * @param clientId the client
 * @param scopes the scopes consented to
 * @param resources the resources consented to
 * @param grantedAt when consent was (last) given
 */
public record Consent(String subject, ClientID clientId, Set<String> scopes, Set<URI> resources, Instant grantedAt) {

    /** Checks the invariants and makes the collections unmodifiable. */
    public Consent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        resources = Set.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(grantedAt, "grantedAt");
    }

    /** Whether this consent covers a request for {@code requestedScopes} on {@code requestedResources}. */
    public boolean covers(Set<String> requestedScopes, Set<URI> requestedResources) {
        return scopes.containsAll(requestedScopes) && resources.containsAll(requestedResources);
    }
}
