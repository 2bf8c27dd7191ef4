package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.Concurrently;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestClients;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcSchemaTest {

    private final MutableClock clock = MutableClock.at(MutableClock.START);

    private JdbcStores stores(String schema) {
        return JdbcStores.newBuilder(TestPostgres.dataSource(), clock).schema(schema).build();
    }

    private static List<String> tables(DataSource ds, String schema) {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, schema, "%",
                new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    @Test
    void whenMigratedThenEveryTableExistsAndTheVersionIsRecorded() {
        String schema = TestPostgres.uniqueName("migrate");

        assertThat(stores(schema).migrate()).isEqualTo(JdbcSchema.SCRIPTS.size());

        assertThat(tables(TestPostgres.dataSource(), schema)).containsExactlyInAnyOrder("mcp_oauth_client",
                "mcp_oauth_authorization_code", "mcp_oauth_authorization_grant", "mcp_oauth_refresh_token",
                "mcp_oauth_consent", "mcp_oauth_signing_key", "mcp_oauth_schema_version",
                "mcp_oauth_grant_revocation");
        TestSchema helper = TestSchema.existing(schema);
        assertThat(helper.queryLong("SELECT max(version) FROM " + helper.tables.schemaVersion))
                .isEqualTo(JdbcSchema.SCRIPTS.size());
    }

    @Test
    void whenMigratedAgainThenNothingIsApplied() {
        String schema = TestPostgres.uniqueName("again");
        stores(schema).migrate();

        assertThat(stores(schema).migrate()).isZero();
        assertThat(stores(schema).migrate()).isZero();
    }

    @Test
    void whenManyNodesMigrateAtOnceThenEachScriptIsAppliedOnce() {
        String schema = TestPostgres.uniqueName("race");

        List<Integer> applied = Concurrently.run(6, Duration.ofSeconds(60), i -> stores(schema).migrate());

        assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(JdbcSchema.SCRIPTS.size());
        TestSchema helper = TestSchema.existing(schema);
        assertThat(helper.count(helper.tables.schemaVersion)).isEqualTo(JdbcSchema.SCRIPTS.size());
    }

    @Test
    void whenAnAppliedScriptWasChangedThenMigrationFails() {
        String schema = TestPostgres.uniqueName("tampered");
        stores(schema).migrate();
        TestSchema helper = TestSchema.existing(schema);
        helper.update("UPDATE " + helper.tables.schemaVersion + " SET checksum = 'edited' WHERE version = 1");

        assertThatThrownBy(() -> stores(schema).migrate())
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUnavailable()).isFalse())
                .hasMessageContaining("version 1");
    }

    @Test
    void whenTheDatabaseIsNewerThanTheLibraryThenMigrationGoesOn() {
        String schema = TestPostgres.uniqueName("newer");
        stores(schema).migrate();
        TestSchema helper = TestSchema.existing(schema);
        helper.update("INSERT INTO " + helper.tables.schemaVersion
                + " (version, description, checksum) VALUES (999, 'from the future', 'x')");

        assertThat(stores(schema).migrate()).isZero();
    }

    @Test
    void whenAScriptFailsThenNothingOfTheMigrationRemains() {
        String schema = TestPostgres.uniqueName("broken");
        TestPostgres.execute("CREATE SCHEMA " + schema);
        // A table in the way makes V1 fail halfway through.
        TestPostgres.execute("CREATE TABLE " + schema + ".mcp_oauth_consent (x int)");

        assertThatThrownBy(() -> stores(schema).migrate()).isInstanceOf(StoreException.class);

        assertThat(tables(TestPostgres.dataSource(), schema)).containsExactly("mcp_oauth_consent");
    }

    @Test
    void whenTablePrefixChosenThenTablesCarryItAndStoresUseThem() {
        String schema = TestPostgres.uniqueName("prefixed");
        JdbcStores jdbc = JdbcStores.newBuilder(TestPostgres.dataSource(), clock).schema(schema)
                .tablePrefix("oauth2_").build();

        jdbc.migrate();

        assertThat(tables(TestPostgres.dataSource(), schema)).contains("oauth2_client", "oauth2_schema_version")
                .noneMatch(t -> t.startsWith("mcp_oauth_"));
        RegisteredClient client = TestClients.publicClient().build();
        jdbc.stores().clients().save(client);
        assertThat(jdbc.stores().clients().findById(client.clientId())).contains(client);
    }

    @Test
    void whenEmptyPrefixInASchemaThenPlainTableNames() {
        String schema = TestPostgres.uniqueName("plain");
        JdbcStores jdbc = JdbcStores.newBuilder(TestPostgres.dataSource(), clock).schema(schema).tablePrefix("")
                .build();

        jdbc.migrate();

        assertThat(tables(TestPostgres.dataSource(), schema)).contains("client", "authorization_grant",
                "schema_version");
    }

    @Test
    void whenDefaultsThenTablesAreOnTheSearchPathWithTheDefaultPrefix() {
        DataSource database = TestPostgres.newDatabase();
        assertThat(JdbcStores.newBuilder(database, clock).build().migrate()).isEqualTo(JdbcSchema.SCRIPTS.size());

        Stores stores = JdbcStores.create(database, clock);

        assertThat(tables(database, "public")).contains("mcp_oauth_client", "mcp_oauth_schema_version");
        RegisteredClient client = TestClients.confidentialClient().build();
        stores.clients().save(client);
        assertThat(stores.clients().findById(client.clientId())).contains(client);
    }

    @Test
    void whenScriptsAreReadThenEachHasAStableChecksum() {
        for (String script : JdbcSchema.SCRIPTS) {
            String text = JdbcSchema.read(script);
            assertThat(JdbcSchema.checksum(text)).isEqualTo(JdbcSchema.checksum(text.replace("\n", "\r\n")))
                    .hasSize(64);
        }
    }
}
