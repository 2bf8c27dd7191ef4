package io.github.mcpoauth.core.store.jdbc;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

final class JdbcCodeStore implements AuthorizationCodeStore {

    private final Jdbc jdbc;
    private final Clock clock;
    private final String insert;
    private final String select;
    private final String consume;

    JdbcCodeStore(Jdbc jdbc, Tables tables, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insert = "INSERT INTO " + tables.code + " (code_hash, client_id, subject, redirect_uri, scopes, resources,"
                + " code_challenge, grant_id, issued_at, expires_at, consumed)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)";
        this.select = "SELECT code_hash, client_id, subject, redirect_uri, scopes, resources, code_challenge, grant_id,"
                + " issued_at, expires_at, consumed FROM " + tables.code + " WHERE code_hash = ? AND expires_at > ?";
        // Single-use across nodes: one conditional UPDATE; the row lock makes a concurrent second UPDATE re-check
        // "NOT consumed" after the first commits, and find nothing to change.
        this.consume = "UPDATE " + tables.code + " SET consumed = true"
                + " WHERE code_hash = ? AND NOT consumed AND expires_at > ?";
    }

    @Override
    public void save(AuthorizationCode code) {
        Objects.requireNonNull(code, "code");
        if (code.consumed()) {
            throw new IllegalArgumentException("a new code must not be consumed");
        }
        jdbc.inTransaction("save authorization code", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, insert)) {
                ps.setString(1, code.codeHash());
                ps.setString(2, code.clientId().getValue());
                ps.setString(3, code.subject());
                ps.setString(4, code.redirectUri().map(URI::toString).orElse(null));
                ps.setArray(5, Jdbc.textArray(c, code.scopes(), true));
                ps.setArray(6, Jdbc.textArray(c, code.resources(), false));
                ps.setString(7, code.codeChallenge());
                ps.setString(8, code.grantId());
                ps.setObject(9, Jdbc.timestamp(code.issuedAt()));
                ps.setObject(10, Jdbc.timestamp(code.expiresAt()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<AuthorizationCode> find(String codeHash) {
        Objects.requireNonNull(codeHash, "codeHash");
        return jdbc.singleStatement("find authorization code", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, select)) {
                ps.setString(1, codeHash);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<AuthorizationCode>empty();
                    }
                    return Optional.of(new AuthorizationCode(
                            rs.getString("code_hash"),
                            new ClientID(rs.getString("client_id")),
                            rs.getString("subject"),
                            Optional.ofNullable(rs.getString("redirect_uri")).map(URI::create),
                            Set.copyOf(Jdbc.strings(rs, "scopes")),
                            Jdbc.strings(rs, "resources").stream().map(URI::create).toList(),
                            rs.getString("code_challenge"),
                            rs.getString("grant_id"),
                            Jdbc.instant(rs, "issued_at"),
                            Jdbc.instant(rs, "expires_at"),
                            rs.getBoolean("consumed")));
                }
            }
        });
    }

    /**
     * One transaction when {@code grants} is a JDBC grant store on the same data source: the conditional
     * {@code UPDATE} that consumes, then the grant's {@code INSERT}s; any failure rolls both back.
     */
    @Override
    public boolean redeem(String codeHash, Grant grant, GrantStore grants) {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(grant, "grant");
        if (!(grants instanceof JdbcGrantStore jdbcGrants) || !jdbcGrants.sharesDatabaseWith(jdbc)) {
            return AuthorizationCodeStore.super.redeem(codeHash, grant, grants);
        }
        return jdbc.inTransaction("redeem authorization code", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, consume)) {
                ps.setString(1, codeHash);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            jdbcGrants.insert(c, grant);
            return true;
        });
    }

    @Override
    public boolean consume(String codeHash) {
        Objects.requireNonNull(codeHash, "codeHash");
        return jdbc.inTransaction("consume authorization code", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, consume)) {
                ps.setString(1, codeHash);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                return ps.executeUpdate() == 1;
            }
        });
    }
}
