package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.Stores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;

/** A freshly migrated schema of its own in the test PostgreSQL, for one test class. */
final class TestSchema {

    final String name;
    final DataSource dataSource;
    final Tables tables;

    private TestSchema(String name) {
        this.name = name;
        this.dataSource = TestPostgres.dataSource();
        this.tables = new Tables(java.util.Optional.of(name), JdbcStores.DEFAULT_TABLE_PREFIX);
    }

    /** A view of an existing schema (default prefix), for raw SQL; creates nothing. */
    static TestSchema existing(String name) {
        return new TestSchema(name);
    }

    /** A new schema with every table created. */
    static TestSchema create() {
        TestSchema schema = new TestSchema(TestPostgres.uniqueName("test"));
        schema.builder(Clock.systemUTC()).build().migrate();
        return schema;
    }

    JdbcStores.Builder builder(Clock clock) {
        return JdbcStores.newBuilder(dataSource, clock).schema(name);
    }

    /** New stores over this schema: another "node" each time. */
    Stores stores(Clock clock) {
        return builder(clock).build().stores();
    }

    /** Empties every table (the schema-version table aside). */
    void truncate() {
        update("TRUNCATE " + String.join(", ", tables.client, tables.code, tables.refreshToken, tables.grant,
                tables.consent, tables.signingKey, tables.grantRevocation));
    }

    int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String table) {
        return queryLong("SELECT count(*) FROM " + table);
    }

    long queryLong(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
