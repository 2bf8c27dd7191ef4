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
 *
 * <p>Refresh tokens name their grant: the server issues them as {@code <grant id>.<secret>} (the grant id is no
 * secret: access tokens carry it too), and the hash a store sees is always the hash of the whole token. So a store
 * is asked for a refresh token with the grant id it names and can look in that grant's own history: it needs no
 * index keyed by the hash of every token a grant ever had.
 */
public interface GrantStore {

    /** How many rotated-out refresh token hashes per grant the bundled stores keep for reuse detection. */
    int ROTATED_HASHES_KEPT = 16;

    /**
     * How a rotated-out refresh token was replaced.
     *
     * @param replacedBy the hash of the refresh token that replaced it (for the token rotated out last: the grant's
     *     current one)
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

    /**
     * The grant a refresh token was issued for, as its current token or one of its kept rotated-out ones, if the
     * grant is still held.
     *
     * <p>Given a {@code grantId}, the answer is that grant or nothing: the grant is returned only if {@code
     * refreshTokenHash} is its current hash, compared in full, or one of its kept rotated-out hashes, which a store
     * may compare by a fixed 128 of their bits (the in-memory store keeps no more of them). Without a {@code
     * grantId} (a token that names no grant: one issued before refresh tokens named theirs, which only a
     * persistent store can still hold), a store finds the grant by the hash alone if it can (the JDBC store, whose
     * key is the hash, can), or finds nothing (the in-memory store, which never issued such a token).
     *
     * @param grantId the grant id the presented token names (the part before its last {@code '.'}), or {@code null}
     *     if it names none
     * @param refreshTokenHash the hash of the whole presented token
     */
    Optional<Grant> findByRefreshToken(String grantId, String refreshTokenHash);

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
     * The rotation that retired {@code refreshTokenHash} of grant {@code grantId}, if the store records it: what
     * the optional refresh token reuse interval needs, which only ever applies to the token rotated out last (the
     * one the grant's current token replaced). A store that records rotations answers for that one (the bundled
     * stores do, for as long as they hold the grant), with {@link Rotation#replacedBy()} the current hash; it may
     * answer for older ones too (the JDBC store does; the in-memory store does not). The default records nothing,
     * and the interval then never applies.
     */
    default Optional<Rotation> rotationOf(String grantId, String refreshTokenHash) {
        return Optional.empty();
    }
}
