package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.GrantStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The refresh token rotation of {@link JdbcGrantStore} as one data-modifying statement (PostgreSQL {@code WITH}
 * queries), so that a refresh costs two statements in all: the look-up by hash, and this.
 *
 * <ul>
 *   <li>{@code upd}: the compare-and-set. Of concurrent rotations of one token, on any number of nodes, the first
 *       to lock the grant row wins; under READ COMMITTED the others wait for its commit, re-check the {@code WHERE}
 *       clause against the committed row, see another hash, and update nothing.</li>
 *   <li>{@code ins}: records the new hash in the history, only if {@code upd} rotated (it selects from it). A
 *       duplicate hash fails the whole statement, so the rotation is undone with it.</li>
 *   <li>{@code mark}: the rotated-out hash names its successor and when (the reuse interval needs both).</li>
 *   <li>{@code trim}: reuse detection needs the newest rotated-out hashes only. All parts of one statement read
 *       the same snapshot, taken before {@code mark}: the hash being rotated out is the newest, so of those
 *       already rotated out the newest {@code ROTATED_HASHES_KEPT - 1} are kept, and a grant's history stays at
 *       {@value GrantStore#ROTATED_HASHES_KEPT} rotated-out rows plus the current one. The rows {@code mark} and
 *       {@code trim} touch are disjoint (current vs. rotated out), as one statement requires.</li>
 * </ul>
 *
 * <p>The statement returns one row: 1 if this call rotated, else 0.
 */
final class RotationStatement {

    private RotationStatement() {
    }

    static String sql(Tables t) {
        return "WITH upd AS (UPDATE " + t.grant + " SET refresh_token_hash = ?, expires_at = ?"
                + " WHERE grant_id = ? AND refresh_token_hash = ? AND NOT revoked AND expires_at > ?"
                + " RETURNING grant_id),"
                + " ins AS (INSERT INTO " + t.refreshToken + " (token_hash, grant_id, issued_at)"
                + " SELECT ?, upd.grant_id, ? FROM upd RETURNING 1),"
                + " mark AS (UPDATE " + t.refreshToken + " r SET replaced_by = ?, replaced_at = ? FROM upd"
                + " WHERE r.token_hash = ? AND r.grant_id = upd.grant_id RETURNING 1),"
                + " trim AS (DELETE FROM " + t.refreshToken + " r USING upd WHERE r.grant_id = upd.grant_id"
                + " AND r.replaced_by IS NOT NULL AND r.seq < (SELECT min(k.seq) FROM (SELECT h.seq FROM "
                + t.refreshToken + " h WHERE h.grant_id = upd.grant_id AND h.replaced_by IS NOT NULL"
                + " ORDER BY h.seq DESC LIMIT " + (GrantStore.ROTATED_HASHES_KEPT - 1) + ") k) RETURNING 1)"
                + " SELECT count(*) FROM upd";
    }

    /** Binds the parameters of {@link #sql}. */
    static void bind(PreparedStatement ps, String grantId, String expectedHash, String newHash, Instant newExpiresAt,
            Instant now) throws SQLException {
        Object at = Jdbc.timestamp(now);
        ps.setString(1, newHash);
        ps.setObject(2, Jdbc.timestamp(newExpiresAt));
        ps.setString(3, grantId);
        ps.setString(4, expectedHash);
        ps.setObject(5, at);
        ps.setString(6, newHash);
        ps.setObject(7, at);
        ps.setString(8, newHash);
        ps.setObject(9, at);
        ps.setString(10, expectedHash);
    }
}
