package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The resources whose bearer guard runs in this same application, with this server's own verifier (the ones
 * {@code McpOAuth} guards): a token whose every audience is among them is MAC'd (HS256) rather than signed, as
 * nothing outside this application ever verifies it. Empty when the host keeps every token a signed JWT
 * ({@link AuthorizationServerSettings#sameAppTokens()} off) or guards nothing itself.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4 (validating access tokens)</a>
 */
public final class SameAppResources {

    private static final SameAppResources NONE = new SameAppResources(Set.of());

    private final Set<URI> resources;

    private SameAppResources(Set<URI> resources) {
        this.resources = resources;
    }

    /** No resource is local: every token is a signed JWT. */
    public static SameAppResources none() {
        return NONE;
    }

    /**
     * {@code local} if the settings allow same-app tokens, else none.
     *
     * @throws IllegalArgumentException if one of {@code local} is not a resource of {@code settings}
     */
    public static SameAppResources of(AuthorizationServerSettings settings, Collection<URI> local) {
        for (URI r : local) {
            if (!settings.resources().contains(r)) {
                throw new IllegalArgumentException("sameAppResources: " + r + " is not a resource of the settings");
            }
        }
        return settings.sameAppTokens() && !local.isEmpty() ? new SameAppResources(Set.copyOf(local)) : NONE;
    }

    /** Whether {@code resource} is on the origin of {@code issuer}: where McpOAuth guards resources itself. */
    public static boolean sameOrigin(URI issuer, URI resource) {
        return Objects.equals(resource.getScheme(), issuer.getScheme())
                && Objects.equals(resource.getRawAuthority(), issuer.getRawAuthority());
    }

    /** Whether {@code audience} is not empty and every one of it is a resource of this application. */
    public boolean all(List<URI> audience) {
        return !audience.isEmpty() && resources.containsAll(audience);
    }

    /** Whether {@code resource} is a resource of this application. */
    public boolean contains(URI resource) {
        return resources.contains(resource);
    }
}
