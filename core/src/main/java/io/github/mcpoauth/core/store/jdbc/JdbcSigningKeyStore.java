package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

final class JdbcSigningKeyStore implements SigningKeyStore {

    private final Jdbc jdbc;
    private final String upsert;
    private final String selectAll;
    private final String selectIds;
    private final long lockKey;

    JdbcSigningKeyStore(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.selectIds = "SELECT key_id FROM " + tables.signingKey;
        this.lockKey = lockKey(tables.signingKey);
        this.upsert = "INSERT INTO " + tables.signingKey + " (key_id, jwk_json, created_at, activates_at, retires_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET"
                + " jwk_json = EXCLUDED.jwk_json,"
                + " created_at = EXCLUDED.created_at, activates_at = EXCLUDED.activates_at,"
                + " retires_at = EXCLUDED.retires_at, expires_at = EXCLUDED.expires_at";
        // A stable order, so that every node breaks ties between keys (two successors made at once) alike.
        this.selectAll = "SELECT key_id, jwk_json, created_at, activates_at, retires_at, expires_at FROM "
                + tables.signingKey + " ORDER BY activates_at, created_at, key_id";
    }

    @Override
    public void save(SigningKey key) {
        Objects.requireNonNull(key, "key");
        jdbc.inTransaction("save signing key", c -> upsert(c, key));
    }

    /**
     * Compare-and-set under a transaction-level advisory lock on this table: nodes adding a key serialise here
     * (a few milliseconds, only when a key is made), each re-reads the ids under the lock, and only the first one
     * that still sees what it read before inserts.
     */
    @Override
    public boolean saveIfUnchanged(SigningKey key, Set<String> expectedKeyIds) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expectedKeyIds, "expectedKeyIds");
        return jdbc.inTransaction("save signing key if unchanged", c -> {
            try (PreparedStatement lock = jdbc.prepare(c, "SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, lockKey);
                lock.execute();
            }
            Set<String> held = new HashSet<>();
            try (PreparedStatement ps = jdbc.prepare(c, selectIds); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
            if (!held.equals(expectedKeyIds)) {
                return false;
            }
            upsert(c, key);
            return true;
        });
    }

    private int upsert(Connection c, SigningKey key) throws SQLException {
        try (PreparedStatement ps = jdbc.prepare(c, upsert)) {
            ps.setString(1, key.keyId());
            ps.setString(2, key.jwkJson());
            ps.setObject(3, Jdbc.timestamp(key.createdAt()));
            ps.setObject(4, Jdbc.timestamp(key.activatesAt()));
            ps.setObject(5, Jdbc.timestamp(key.retiresAt()));
            ps.setObject(6, Jdbc.timestamp(key.expiresAt()));
            return ps.executeUpdate();
        }
    }

    /** One advisory lock per signing key table; distinct from the schema migration's lock. */
    private static long lockKey(String table) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("mcp-oauth signing keys " + table).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public List<SigningKey> findAll() {
        return jdbc.singleStatement("find signing keys", c -> {
            List<SigningKey> keys = new ArrayList<>();
            try (PreparedStatement ps = jdbc.prepare(c, selectAll); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new SigningKey(rs.getString("key_id"), rs.getString("jwk_json"),
                            Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "activates_at"),
                            Jdbc.instant(rs, "retires_at"), Jdbc.instant(rs, "expires_at")));
                }
            }
            return List.copyOf(keys);
        });
    }
}
