package io.github.mcpoauth.core.store.jdbc;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.Consent;
import io.github.mcpoauth.core.store.ConsentStore;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class JdbcConsentStore implements ConsentStore {

    private final Jdbc jdbc;
    private final String upsert;
    private final String select;
    private final String delete;

    JdbcConsentStore(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.upsert = "INSERT INTO " + tables.consent + " (subject, client_id, scopes, resources, granted_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject, client_id) DO UPDATE SET scopes = EXCLUDED.scopes,"
                + " resources = EXCLUDED.resources, granted_at = EXCLUDED.granted_at";
        this.select = "SELECT subject, client_id, scopes, resources, granted_at FROM " + tables.consent
                + " WHERE subject = ? AND client_id = ?";
        this.delete = "DELETE FROM " + tables.consent + " WHERE subject = ? AND client_id = ?";
    }

    @Override
    public void save(Consent consent) {
        Objects.requireNonNull(consent, "consent");
        jdbc.inTransaction("save consent", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, upsert)) {
                ps.setString(1, consent.subject());
                ps.setString(2, consent.clientId().getValue());
                ps.setArray(3, Jdbc.textArray(c, consent.scopes(), true));
                ps.setArray(4, Jdbc.textArray(c, consent.resources(), true));
                ps.setObject(5, Jdbc.timestamp(consent.grantedAt()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Consent> find(String subject, ClientID clientId) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        return jdbc.singleStatement("find consent", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, select)) {
                ps.setString(1, subject);
                ps.setString(2, clientId.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Consent>empty();
                    }
                    return Optional.of(new Consent(
                            rs.getString("subject"),
                            new ClientID(rs.getString("client_id")),
                            Set.copyOf(Jdbc.strings(rs, "scopes")),
                            Jdbc.strings(rs, "resources").stream().map(URI::create).collect(Collectors.toSet()),
                            Jdbc.instant(rs, "granted_at")));
                }
            }
        });
    }

    @Override
    public void revoke(String subject, ClientID clientId) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        jdbc.inTransaction("revoke consent", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, delete)) {
                ps.setString(1, subject);
                ps.setString(2, clientId.getValue());
                return ps.executeUpdate();
            }
        });
    }
}
