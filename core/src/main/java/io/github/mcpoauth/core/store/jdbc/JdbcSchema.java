package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned schema scripts ({@code V<n>__<description>.sql}, next to this class) that a database lacks,
 * recording each in the {@code schema_version} table.
 *
 * <p>All of it happens in one transaction holding a PostgreSQL transaction-level advisory lock: nodes starting
 * at once apply each script exactly once, and a failed script leaves nothing behind (PostgreSQL DDL is
 * transactional). An applied script whose checksum changed is an error; versions newer than this library knows
 * are tolerated (an older node during a rolling upgrade) and logged.
 */
final class JdbcSchema {

    /** The scripts, in order. A released script is never edited: add the next version instead. */
    static final List<String> SCRIPTS = List.of("V1__create_tables.sql", "V2__refresh_token_rotations.sql",
            "V3__grant_subject_index.sql", "V4__refresh_token_dpop_binding.sql",
            "V5__grant_revocation_log.sql");

    private static final System.Logger LOG = System.getLogger(JdbcSchema.class.getName());
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    private final Jdbc jdbc;
    private final Tables tables;

    JdbcSchema(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.tables = tables;
    }

    /** Applies the missing scripts; returns how many were applied. */
    int migrate() {
        return jdbc.inTransaction("schema migration", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, lockKey());
                lock.execute();
            }
            createSchemaIfMissing(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + tables.schemaVersion + " ("
                        + "version integer NOT NULL PRIMARY KEY, description text NOT NULL, "
                        + "checksum text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
            }
            Map<Integer, String> applied = applied(c);
            int count = 0;
            int newest = 0;
            for (String name : SCRIPTS) {
                Matcher m = NAME.matcher(name);
                if (!m.matches()) {
                    throw new IllegalStateException("bad script name " + name);
                }
                int version = Integer.parseInt(m.group(1));
                newest = Math.max(newest, version);
                String text = read(name);
                String checksum = checksum(text);
                String recorded = applied.get(version);
                if (recorded != null) {
                    if (!recorded.equals(checksum)) {
                        throw StoreException.failed("schema migration failed: version " + version + " in "
                                + tables.schemaVersion + " was applied from a different script (checksum "
                                + recorded + ", expected " + checksum + ")", null);
                    }
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(tables.substitute(text));
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + tables.schemaVersion
                        + " (version, description, checksum) VALUES (?, ?, ?)")) {
                    insert.setInt(1, version);
                    insert.setString(2, m.group(2).replace('_', ' '));
                    insert.setString(3, checksum);
                    insert.executeUpdate();
                }
                LOG.log(System.Logger.Level.INFO, "applied {0} to {1}", name, tables);
                count++;
            }
            int known = newest;
            applied.keySet().stream().filter(v -> v > known).max(Integer::compare).ifPresent(v -> LOG.log(
                    System.Logger.Level.WARNING, "schema {0} is at version {1}, newer than this library''s {2}",
                    tables, v, known));
            return count;
        });
    }

    private void createSchemaIfMissing(Connection c) throws SQLException {
        if (tables.schema.isEmpty()) {
            return;
        }
        try (PreparedStatement find = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            find.setString(1, tables.schema.get());
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            // The name was checked against [a-z_][a-z0-9_]*: safe to inline.
            s.execute("CREATE SCHEMA " + tables.schema.get());
        }
    }

    private Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, checksum FROM " + tables.schemaVersion)) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    /** One advisory lock per schema-version table: migrations of other prefixes or schemas do not wait. */
    private long lockKey() {
        return ByteBuffer.wrap(sha256("mcp-oauth schema " + tables.schemaVersion)).getLong();
    }

    static String read(String name) {
        try (InputStream in = JdbcSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("schema script " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema script " + name, e);
        }
    }

    /** SHA-256 of the script before placeholder substitution, line endings normalised. */
    static String checksum(String text) {
        return HexFormat.of().formatHex(sha256(text.replace("\r\n", "\n")));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
