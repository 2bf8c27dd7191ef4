package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

final class JdbcSigningKeyStore implements SigningKeyStore {

    private final Jdbc jdbc;
    private final String upsert;
    private final String selectAll;

    JdbcSigningKeyStore(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.upsert = "INSERT INTO " + tables.signingKey + " (key_id, jwk_json, created_at, activates_at, retires_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET jwk_json = EXCLUDED.jwk_json,"
                + " created_at = EXCLUDED.created_at, activates_at = EXCLUDED.activates_at,"
                + " retires_at = EXCLUDED.retires_at, expires_at = EXCLUDED.expires_at";
        // A stable order, so that every node breaks ties between keys (two successors made at once) alike.
        this.selectAll = "SELECT key_id, jwk_json, created_at, activates_at, retires_at, expires_at FROM "
                + tables.signingKey + " ORDER BY activates_at, created_at, key_id";
    }

    @Override
    public void save(SigningKey key) {
        Objects.requireNonNull(key, "key");
        jdbc.inTransaction("save signing key", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, upsert)) {
                ps.setString(1, key.keyId());
                ps.setString(2, key.jwkJson());
                ps.setObject(3, Jdbc.timestamp(key.createdAt()));
                ps.setObject(4, Jdbc.timestamp(key.activatesAt()));
                ps.setObject(5, Jdbc.timestamp(key.retiresAt()));
                ps.setObject(6, Jdbc.timestamp(key.expiresAt()));
                return ps.executeUpdate();
            }
        });
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
