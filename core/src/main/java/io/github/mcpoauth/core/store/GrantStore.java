package io.github.mcpoauth.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Storage of {@link Grant}s and their refresh tokens, with compare-and-set rotation and family revocation.
 *
 * <p>A store remembers the refresh token hashes a grant had (until the grant's last refresh token expires): the
 * current one and at least the last 16 rotated out (the bundled stores keep exactly the last
 * {@value #ROTATED_HASHES_KEPT}), so that {@link #findByRefreshToken} also finds a grant by a rotated-out token:
 * that is how reuse is detected (RFC 9700 §4.14.2).
 */
public interface GrantStore {

    /** How many rotated-out refresh token hashes per grant the bundled stores keep for reuse detection. */
    int ROTATED_HASHES_KEPT = 16;

    /**
     * How a rotated-out refresh token was replaced.
     *
     * @param replacedBy the hash of the refresh token that replaced it
     * @param at when
     */
    record Rotation(String replacedBy, Instant at) {

        /** Checks both are present. */
        public Rotation {
            java.util.Objects.requireNonNull(replacedBy, "replacedBy");
            java.util.Objects.requireNonNull(at, "at");
        }
    }

    /** The most grants {@link #findBySubject} returns in one call. */
    int MAX_LISTED = 200;

    /**
     * One of a resource owner's active grants, as a "connected apps" page lists it.
     *
     * @param grant the grant (neither revoked nor expired when read)
     * @param lastUsedAt when a token of the grant was last issued: the code redeemed, or the refresh token last
     *     rotated
     */
    record ActiveGrant(Grant grant, Instant lastUsedAt) {

        /** Checks both are present. */
        public ActiveGrant {
            Objects.requireNonNull(grant, "grant");
            Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        }
    }

    /**
     * The resource owner's active grants (not revoked, not expired), newest first, at most {@code limit} of them
     * (1 to {@value #MAX_LISTED}): what the connected-apps page lists. The bundled stores answer from an index on
     * the subject. The default throws {@link UnsupportedOperationException}: a custom store without it cannot
     * serve the connected-apps page.
     *
     * @throws IllegalArgumentException if {@code limit} is out of range
     */
    default List<ActiveGrant> findBySubject(String subject, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list grants by subject");
    }

    /** Saves a new grant, and its current refresh token hash if it has one. */
    void save(Grant grant);

    /** The grant with this id, if it is still held. */
    Optional<Grant> findById(String grantId);

    /** The grant that this refresh token hash was ever issued for, current or rotated out, if still held. */
    Optional<Grant> findByRefreshToken(String refreshTokenHash);

    /**
     * Replaces the grant's current refresh token, atomically, only if it is still {@code expectedHash} and the
     * grant is not revoked: of concurrent rotations of one token, on any number of nodes, exactly one succeeds.
     *
     * @return {@code true} if this call rotated it
     */
    boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt);

    /** Marks the grant revoked; every token of its family stops working. Idempotent. */
    void revoke(String grantId);

    /**
     * The rotation that retired {@code refreshTokenHash}, if it was rotated out and the store records it (the
     * bundled stores do, for as long as they keep the hash): what the optional refresh token reuse interval
     * needs. The default records nothing, and the interval then never applies.
     */
    default Optional<Rotation> rotationOf(String refreshTokenHash) {
        return Optional.empty();
    }
}
