package io.github.mcpoauth.core.store.jdbc;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

final class JdbcClientStore implements ClientStore {

    /** The columns {@link #map} reads. */
    static final String COLUMNS = "client_id, secret_hash, authentication_method, redirect_uris, grant_types, scopes,"
            + " client_name, metadata_json, issued_at";

    private final Jdbc jdbc;
    private final String upsert;
    private final String select;
    private final String delete;
    private final String selectAll;

    JdbcClientStore(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.upsert = "INSERT INTO " + tables.client + " (client_id, secret_hash, authentication_method, redirect_uris,"
                + " grant_types, scopes, client_name, metadata_json, issued_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS json), ?)"
                + " ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash,"
                + " authentication_method = EXCLUDED.authentication_method, redirect_uris = EXCLUDED.redirect_uris,"
                + " grant_types = EXCLUDED.grant_types, scopes = EXCLUDED.scopes, client_name = EXCLUDED.client_name,"
                + " metadata_json = EXCLUDED.metadata_json, issued_at = EXCLUDED.issued_at";
        this.select = "SELECT " + COLUMNS + " FROM " + tables.client + " WHERE client_id = ?";
        this.selectAll = "SELECT " + COLUMNS + " FROM " + tables.client + " ORDER BY client_id";
        this.delete = "DELETE FROM " + tables.client + " WHERE client_id = ?";
    }

    @Override
    public void save(RegisteredClient client) {
        Objects.requireNonNull(client, "client");
        jdbc.inTransaction("save client", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, upsert)) {
                ps.setString(1, client.clientId().getValue());
                ps.setString(2, client.secretHash().orElse(null));
                ps.setString(3, client.authenticationMethod().getValue());
                ps.setArray(4, Jdbc.textArray(c, client.redirectUris(), false));
                ps.setArray(5, Jdbc.textArray(c, client.grantTypes().stream().map(GrantType::getValue).toList(), true));
                ps.setArray(6, Jdbc.textArray(c, client.scopes(), true));
                ps.setString(7, client.clientName().orElse(null));
                ps.setString(8, client.metadataJson());
                ps.setObject(9, Jdbc.timestamp(client.issuedAt()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<RegisteredClient> findById(ClientID clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return jdbc.singleStatement("find client", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, select)) {
                ps.setString(1, clientId.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<RegisteredClient>empty();
                }
            }
        });
    }

    @Override
    public void delete(ClientID clientId) {
        Objects.requireNonNull(clientId, "clientId");
        jdbc.inTransaction("delete client", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, delete)) {
                ps.setString(1, clientId.getValue());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public java.util.List<RegisteredClient> findAll() {
        return jdbc.singleStatement("list clients", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, selectAll); ResultSet rs = ps.executeQuery()) {
                java.util.List<RegisteredClient> all = new java.util.ArrayList<>();
                while (rs.next()) {
                    all.add(map(rs));
                }
                return java.util.List.copyOf(all);
            }
        });
    }

    /** A client from a row holding {@link #COLUMNS}. */
    static RegisteredClient map(ResultSet rs) throws SQLException {
        Set<GrantType> grantTypes = new HashSet<>();
        for (String value : Jdbc.strings(rs, "grant_types")) {
            try {
                grantTypes.add(GrantType.parse(value));
            } catch (ParseException e) {
                throw new SQLException("stored client has an unparseable grant type", "22000", e);
            }
        }
        return new RegisteredClient(
                new ClientID(rs.getString("client_id")),
                Optional.ofNullable(rs.getString("secret_hash")),
                ClientAuthenticationMethod.parse(rs.getString("authentication_method")),
                Jdbc.strings(rs, "redirect_uris").stream().map(URI::create).toList(),
                grantTypes,
                Set.copyOf(Jdbc.strings(rs, "scopes")),
                Optional.ofNullable(rs.getString("client_name")),
                rs.getString("metadata_json"),
                Jdbc.instant(rs, "issued_at"));
    }
}
