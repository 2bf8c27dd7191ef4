package io.github.mcpoauth.core.store.jdbc;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.revocation.RevocationLog;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

final class JdbcGrantStore implements GrantStore, RevocationLog.Source {

    private static final String COLUMNS = "g.grant_id, g.client_id, g.subject, g.scopes, g.resources, g.created_at,"
            + " g.refresh_token_hash, g.expires_at, g.revoked,"
            + " g.refresh_token_jkt";

    private final Jdbc jdbc;
    private final Clock clock;
    private final String insertGrant;
    private final String insertRefreshToken;
    private final String selectById;
    private final String selectByRefreshToken;
    private final String rotate;
    private final String selectRotation;
    private final String selectBySubject;
    private final JdbcRevocationLog revocations;

    JdbcGrantStore(Jdbc jdbc, Tables tables, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.revocations = new JdbcRevocationLog(jdbc, tables, clock);
        this.insertGrant = "INSERT INTO " + tables.grant + " (grant_id, client_id, subject, scopes, resources,"
                + " created_at, refresh_token_hash, expires_at, revoked, refresh_token_jkt)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertRefreshToken = "INSERT INTO " + tables.refreshToken + " (token_hash, grant_id, issued_at)"
                + " VALUES (?, ?, ?)";
        this.selectById = "SELECT " + COLUMNS + " FROM " + tables.grant
                + " g WHERE g.grant_id = ? AND g.expires_at > ?";
        this.selectByRefreshToken = "SELECT " + COLUMNS + " FROM " + tables.refreshToken + " r JOIN " + tables.grant
                + " g ON g.grant_id = r.grant_id WHERE r.token_hash = ? AND g.expires_at > ?";
        this.rotate = RotationStatement.sql(tables);
        this.selectRotation = "SELECT replaced_by, replaced_at FROM " + tables.refreshToken
                + " WHERE token_hash = ? AND grant_id = ? AND replaced_by IS NOT NULL";
        // Served by the (subject, created_at) index of schema V3; the newest token of each grant by its grant_id index.
        this.selectBySubject = "SELECT " + COLUMNS + ", (SELECT max(r.issued_at) FROM " + tables.refreshToken
                + " r WHERE r.grant_id = g.grant_id) AS last_used_at FROM " + tables.grant + " g"
                + " WHERE g.subject = ? AND NOT g.revoked AND g.expires_at > ?"
                + " ORDER BY g.created_at DESC, g.grant_id LIMIT ?";
    }

    @Override
    public List<ActiveGrant> findBySubject(String subject, int limit) {
        Objects.requireNonNull(subject, "subject");
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LISTED + ": " + limit);
        }
        return jdbc.singleStatement("find grants by subject", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, selectBySubject)) {
                ps.setString(1, subject);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                ps.setInt(3, limit);
                List<ActiveGrant> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Grant grant = map(rs);
                        Instant lastUsed = rs.getObject("last_used_at") == null ? grant.createdAt()
                                : Jdbc.instant(rs, "last_used_at");
                        found.add(new ActiveGrant(grant, lastUsed));
                    }
                }
                return List.copyOf(found);
            }
        });
    }

    @Override
    public void save(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        jdbc.inTransaction("save grant", c -> {
            insert(c, grant);
            return null;
        });
    }

    /** Whether this store's connections come from the same data source as {@code other}'s. */
    boolean sharesDatabaseWith(Jdbc other) {
        return jdbc.sameDataSource(other);
    }

    /** Inserts the grant and its refresh token hash on {@code c}, in the caller's transaction. */
    void insert(Connection c, Grant grant) throws SQLException {
        try (PreparedStatement ps = jdbc.prepare(c, insertGrant)) {
            ps.setString(1, grant.grantId());
            ps.setString(2, grant.clientId().getValue());
            ps.setString(3, grant.subject());
            ps.setArray(4, Jdbc.textArray(c, grant.scopes(), true));
            ps.setArray(5, Jdbc.textArray(c, grant.resources(), false));
            ps.setObject(6, Jdbc.timestamp(grant.createdAt()));
            ps.setString(7, grant.refreshTokenHash().orElse(null));
            ps.setObject(8, Jdbc.timestamp(grant.expiresAt()));
            ps.setBoolean(9, grant.revoked());
            ps.setString(10, grant.refreshTokenJkt().orElse(null));
            ps.executeUpdate();
        }
        if (grant.refreshTokenHash().isPresent()) {
            recordRefreshToken(c, grant.refreshTokenHash().get(), grant.grantId());
        }
    }

    @Override
    public Optional<Grant> findById(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        return findOne("find grant", selectById, grantId);
    }

    /**
     * By the hash, this table's key: also a token that names no grant (issued before refresh tokens named theirs)
     * is found. A token that names a grant finds that grant only.
     */
    @Override
    public Optional<Grant> findByRefreshToken(String grantId, String refreshTokenHash) {
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        return findOne("find grant by refresh token", selectByRefreshToken, refreshTokenHash)
                .filter(g -> grantId == null || g.grantId().equals(grantId));
    }

    @Override
    public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(expectedHash, "expectedHash");
        Objects.requireNonNull(newHash, "newHash");
        Objects.requireNonNull(newExpiresAt, "newExpiresAt");
        // One statement, atomic by itself: run in auto-commit, no BEGIN/COMMIT round trips (RotationStatement).
        return jdbc.singleStatement("rotate refresh token", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, rotate)) {
                RotationStatement.bind(ps, grantId, expectedHash, newHash, newExpiresAt, clock.instant());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            }
        });
    }

    @Override
    public Optional<Rotation> rotationOf(String grantId, String refreshTokenHash) {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        return jdbc.singleStatement("find refresh token rotation", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, selectRotation)) {
                ps.setString(1, refreshTokenHash);
                ps.setString(2, grantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Rotation(rs.getString(1), Jdbc.instant(rs, "replaced_at")))
                            : Optional.<Rotation>empty();
                }
            }
        });
    }

    @Override
    public void revoke(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        // Every way a grant ends early comes here (revocation endpoint, refresh token or code reuse, connected
        // apps): the revocation and its log row commit together, and this node's cache forgets the grant at once.
        jdbc.inTransaction("revoke grant", c -> revocations.revoke(c, grantId));
        revocations.revokedHere(grantId);
    }

    /** The revocation log every node's revocation feed reads. */
    @Override
    public RevocationLog revocationLog() {
        return revocations;
    }

    private void recordRefreshToken(Connection c, String hash, String grantId) throws SQLException {
        try (PreparedStatement ps = jdbc.prepare(c, insertRefreshToken)) {
            ps.setString(1, hash);
            ps.setString(2, grantId);
            ps.setObject(3, Jdbc.timestamp(clock.instant()));
            ps.executeUpdate();
        }
    }

    private Optional<Grant> findOne(String operation, String sql, String key) {
        return jdbc.singleStatement(operation, c -> {
            try (PreparedStatement ps = jdbc.prepare(c, sql)) {
                ps.setString(1, key);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Grant>empty();
                }
            }
        });
    }

    private static Grant map(ResultSet rs) throws SQLException {
        return new Grant(
                rs.getString("grant_id"),
                new ClientID(rs.getString("client_id")),
                rs.getString("subject"),
                Set.copyOf(Jdbc.strings(rs, "scopes")),
                Jdbc.strings(rs, "resources").stream().map(URI::create).toList(),
                Jdbc.instant(rs, "created_at"),
                Optional.ofNullable(rs.getString("refresh_token_hash")),
                Jdbc.instant(rs, "expires_at"),
                rs.getBoolean("revoked"),
                Optional.ofNullable(rs.getString("refresh_token_jkt")));
    }
}
