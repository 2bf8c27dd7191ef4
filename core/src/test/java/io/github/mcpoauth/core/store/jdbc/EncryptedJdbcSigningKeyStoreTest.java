package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.testkit.SigningKeyStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link SigningKeyStore#encrypted} over the JDBC store on PostgreSQL: the store contract with each node on stores
 * of its own (the cross-node compare-and-set and rotation go through the encryption), and the column's content.
 */
class EncryptedJdbcSigningKeyStoreTest extends SigningKeyStoreContract {

    private static final TestSchema SCHEMA = TestSchema.create();
    private static final SecretKeySpec KEK = new SecretKeySpec(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "AES");

    @Override
    protected SigningKeyStore createStore(Clock clock) {
        SCHEMA.truncate();
        return SigningKeyStore.encrypted(SCHEMA.stores(clock).keys(), KEK);
    }

    @Override
    protected SigningKeyStore anotherNode(SigningKeyStore store, Clock clock) {
        return SigningKeyStore.encrypted(SCHEMA.stores(clock).keys(), KEK);
    }

    @Test
    void whenAKeyIsMadeThenTheDatabaseColumnHoldsCiphertextOnly() {
        String kid = SigningKeys.create(store, clock, Duration.ofHours(1)).currentKey().getKeyID();

        String column = jwkColumn(kid);
        assertThat(column).startsWith("enc:A128GCM:").doesNotContain("{").doesNotContain("\"d\"");
        assertThat(store.findAll()).singleElement().satisfies(k -> assertThat(k.jwkJson()).contains("\"d\""));
    }

    @Test
    void whenANodeHasAnotherKeyThenItFailsToLoadKeysClearly() {
        String kid = SigningKeys.create(store, clock, Duration.ofHours(1)).currentKey().getKeyID();
        SigningKeyStore wrong = SigningKeyStore.encrypted(SCHEMA.stores(clock).keys(),
                new SecretKeySpec(new byte[16], "AES"));

        assertThatThrownBy(wrong::findAll).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(kid).hasMessageContaining("wrong key-encryption key");
    }

    private static String jwkColumn(String kid) {
        String sql = "SELECT jwk_json FROM " + SCHEMA.tables.signingKey + " WHERE key_id = ?";
        try (Connection c = SCHEMA.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, kid);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
