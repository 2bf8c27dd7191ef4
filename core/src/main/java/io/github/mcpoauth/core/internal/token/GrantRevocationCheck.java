package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.RevocationCheck;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The same-application revocation check, implemented by the authorization server: the token's {@code gid} must
 * name a grant in the grant store that is not revoked, and that was made for the same client and subject. A token
 * without a {@code gid}, or whose grant is gone (expired, evicted), is refused.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
public final class GrantRevocationCheck implements RevocationCheck {

    private final GrantStore grants;

    /** A check against {@code grants}. */
    public GrantRevocationCheck(GrantStore grants) {
        this.grants = Objects.requireNonNull(grants, "grants");
    }

    @Override
    public boolean isActive(AccessTokenPrincipal p) {
        // no capturing method reference here: the guard's known-token path allocated one per request
        Optional<String> grantId = p.grantId();
        Optional<Grant> grant = grantId.isEmpty() ? Optional.empty() : grants.findById(grantId.get());
        return grant.isPresent() && isActive(grant.get(), p);
    }

    /** Whether {@code grant}, the one the token names, keeps it in force: not revoked, same client and subject. */
    public static boolean isActive(Grant grant, AccessTokenPrincipal p) {
        return keeps(grant.revoked(), grant.clientId().getValue(), grant.subject(), p);
    }

    /** What {@code grant} holds for every token of its family: the claims a reference token leaves to it. */
    public static GrantClaims claims(Grant grant) {
        return new GrantClaims(grant.subject(), grant.clientId().getValue(), grant.scopes(),
                grant.resources().stream().map(URI::toString).toList());
    }

    @Override
    public Optional<GrantClaims> grantClaims(String grantId) {
        return grants.findById(grantId).map(GrantRevocationCheck::claims);
    }

    /** The rule on what is known of a grant (a cache may hold no more): not revoked, same client and subject. */
    public static boolean keeps(boolean revoked, String clientId, String subject, AccessTokenPrincipal p) {
        return !revoked && clientId.equals(p.clientId()) && subject.equals(p.subject());
    }
}
