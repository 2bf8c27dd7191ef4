package io.github.mcpoauth.core.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Storage of {@link Grant}s and their refresh tokens, with compare-and-set rotation and family revocation.
 *
 * <p>A store remembers the refresh token hashes a grant had (until the grant's last refresh token expires): the
 * current one and at least the last 16 rotated out (the JDBC store keeps all, the in-memory store 16), so that
 * {@link #findByRefreshToken} also finds a grant by a rotated-out token: that is how reuse is detected
 * (RFC 9700 §4.14.2).
 */
public interface GrantStore {

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
}
