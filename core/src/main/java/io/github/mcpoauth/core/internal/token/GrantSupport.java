package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What several grant handlers share: narrowing the audience to the requested resources, audit events. */
final class GrantSupport {

    private GrantSupport() {
    }

    /**
     * The audience of a token: every granted resource when none is requested, else the requested ones, each of
     * which must be granted (RFC 8707 §2.2: {@code invalid_target} otherwise), in their configured spelling.
     */
    static List<URI> narrowResources(AuthorizationServerSettings settings, List<URI> granted, List<URI> requested) {
        if (requested == null || requested.isEmpty()) {
            return granted;
        }
        Set<URI> audience = new LinkedHashSet<>();
        for (URI r : requested) {
            // The configured spelling (scheme and host case, a root resource's trailing slash) is what aud carries.
            URI configured = settings.protectedResource(r).filter(granted::contains)
                    .orElseThrow(() -> OAuthException.invalidTarget("resource was not granted"));
            audience.add(configured);
        }
        return List.copyOf(audience);
    }

    static AuditEvent event(AuditEvent.Type type, Instant now, Grant grant, String detail) {
        return new AuditEvent(type, now, Optional.of(grant.clientId().getValue()), Optional.of(grant.subject()),
                Optional.of(grant.grantId()), detail);
    }
}
