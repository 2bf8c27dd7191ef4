package io.github.mcpoauth.servlet.internal.guard;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The guard's quick scope check, worked out once at build: the scopes every request needs (the guard's required
 * scopes and the verifier's). A token that holds outright every scope a request needs passes without the
 * implied-scope closure {@link AccessTokenVerifier#requireScopes} builds per call; any other token still goes
 * through {@code requireScopes}, which counts implied scopes and refuses with 403 {@code insufficient_scope}
 * naming every scope needed (RFC 6750 §3.1). The quick path only ever accepts what {@code requireScopes} accepts:
 * scopes held are a subset of the scopes they imply.
 */
final class GuardScopes {

    /** The scopes every request needs (the guard's required scopes and the verifier's), walked without an iterator. */
    private final String[] always;
    /** The guard's own required scopes. */
    private final Set<String> required;

    GuardScopes(ProtectedResourceSettings settings, AccessTokenVerifier verifier) {
        this.always = verifier.scopesNeeded(settings.requiredScopes()).toArray(String[]::new); // no repeats
        this.required = settings.requiredScopes();
    }

    /**
     * Whether {@code principal} holds, as granted, every scope always needed and every scope of {@code ruleScopes}
     * (those the guard's scope rules ask of this request; empty without rules).
     */
    boolean heldOutright(AccessTokenPrincipal principal, Set<String> ruleScopes) {
        Set<String> held = principal.scopes();
        for (String scope : always) {
            if (!held.contains(scope)) {
                return false;
            }
        }
        return ruleScopes.isEmpty() || held.containsAll(ruleScopes);
    }

    /** The guard's required scopes followed by {@code ruleScopes}: what a refusal names as needed. */
    Set<String> needed(Set<String> ruleScopes) {
        if (ruleScopes.isEmpty()) {
            return required;
        }
        Set<String> needed = new LinkedHashSet<>(required);
        needed.addAll(ruleScopes);
        return needed;
    }
}
