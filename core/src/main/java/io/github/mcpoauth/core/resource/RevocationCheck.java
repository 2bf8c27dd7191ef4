package io.github.mcpoauth.core.resource;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a token that verified cryptographically is still in force: the same-application revocation check.
 *
 * <p>{@link AccessTokenVerifier} consults it on every verification, cached or not, so a revoked grant is refused
 * on the next request (RFC 9700 §4.14.2, RFC 7009 §2). Keep it quick: it runs on the request thread. An
 * exception it throws is not an authorization: the request fails with 503 {@code temporarily_unavailable}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
@FunctionalInterface
public interface RevocationCheck {

    /** Whether the token that produced {@code principal} may still be used. */
    boolean isActive(AccessTokenPrincipal principal);

    /** No check: every token that verifies is active until it expires (the default). */
    static RevocationCheck none() {
        return p -> true;
    }

    /**
     * The check for an authorization server in the same application: the token's {@code gid} must name a grant
     * in {@code grants} that is not revoked, and that was made for the same client and subject. A token without a
     * {@code gid}, or whose grant is gone (expired, evicted), is refused.
     */
    static RevocationCheck grants(GrantStore grants) {
        Objects.requireNonNull(grants, "grants");
        return p -> {
            Optional<Grant> grant = p.grantId().flatMap(grants::findById);
            return grant.isPresent()
                    && !grant.get().revoked()
                    && grant.get().clientId().getValue().equals(p.clientId())
                    && grant.get().subject().equals(p.subject());
        };
    }
}
