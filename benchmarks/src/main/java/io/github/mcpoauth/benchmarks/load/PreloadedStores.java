package io.github.mcpoauth.benchmarks.load;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores holding {@code size} grants before the first request, for the scale harness: the in-memory stores (filled
 * through {@link GrantStore#save}, as the token endpoint would), or a fresh database on an embedded PostgreSQL
 * (filled by bulk SQL: {@code size} clients, consents, authorization codes (half of them expired) and grants, each
 * grant with its current refresh token hash and one rotated out, then {@code VACUUM ANALYZE} and a {@code CHECKPOINT}).
 */
final class PreloadedStores implements AutoCloseable {

    /** Where the stores keep their state. */
    enum Kind { MEMORY, POSTGRES }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Stores stores;
    private final AutoCloseable resources;

    private PreloadedStores(Stores stores, AutoCloseable resources) {
        this.stores = stores;
        this.resources = resources;
    }

    Stores stores() {
        return stores;
    }

    /** In-memory stores with {@code size} grants, room for a million more. */
    static PreloadedStores memory(int size, Clock clock) {
        InMemoryStores memory = InMemoryStores.newBuilder(clock).maxGrants(Math.min(10_000_000, size + 1_000_000))
                .build();
        GrantStore grants = memory.stores().grants();
        List<ClientID> clients = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new ClientID("bulk-client-" + i)).toList();
        Instant now = clock.instant();
        for (int i = 0; i < size; i++) {
            String scope = new String("mcp".getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
            grants.save(new Grant("bulk-grant-" + i, clients.get(i % clients.size()), "bulk-user-" + i,
                    Set.of(scope), List.of(URI.create("http://127.0.0.1:1/mcp")), now,
                    Optional.of(sha256("bulk-refresh-" + i)), now.plus(Duration.ofDays(30)), false));
        }
        return new PreloadedStores(memory.stores(), () -> { });
    }

    /** JDBC stores on a new database of {@code server} with {@code size} rows per table (twice that of hashes). */
    static PreloadedStores postgres(EmbeddedPostgres server, int size, Clock clock) throws SQLException {
        String database = "scale_" + size + "_" + System.nanoTime();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database);
        config.setUsername("postgres");
        config.setMaximumPoolSize(16);
        HikariDataSource pool = new HikariDataSource(config);
        JdbcStores jdbc = JdbcStores.newBuilder(pool, clock).build();
        jdbc.migrate();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            bulkLoad(s, size, JdbcStores.DEFAULT_TABLE_PREFIX);
        }
        return new PreloadedStores(jdbc.stores(), pool);
    }

    /** Starts an embedded PostgreSQL (binaries from the Maven artifact, loopback, no fsync). */
    static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off").setServerConfig("synchronous_commit", "off")
                    .setServerConfig("max_connections", "100").setServerConfig("shared_buffers", "256MB")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private static void bulkLoad(Statement s, int n, String p) throws SQLException {
        String series = " FROM generate_series(1, " + n + ") i";
        s.execute("INSERT INTO " + p + "client (client_id, authentication_method, redirect_uris, grant_types, scopes,"
                + " client_name, metadata_json, issued_at) SELECT 'bulk-client-' || i, 'none',"
                + " ARRAY['http://127.0.0.1:9/callback'], ARRAY['authorization_code', 'refresh_token'],"
                + " ARRAY['mcp'], 'bulk', '{}'::json, now() - interval '1 day'" + series);
        s.execute("INSERT INTO " + p + "consent (subject, client_id, scopes, resources, granted_at)"
                + " SELECT 'bulk-user-' || i, 'bulk-client-' || i, ARRAY['mcp'], ARRAY['http://127.0.0.1:1/mcp'],"
                + " now() - interval '1 day'" + series);
        s.execute("INSERT INTO " + p + "authorization_code (code_hash, client_id, subject, redirect_uri, scopes,"
                + " resources, code_challenge, grant_id, issued_at, expires_at, consumed) SELECT md5('code' || i),"
                + " 'bulk-client-' || i, 'bulk-user-' || i, 'http://127.0.0.1:9/callback', ARRAY['mcp'],"
                + " ARRAY['http://127.0.0.1:1/mcp'], md5('challenge' || i), 'code-grant-' || i,"
                + " now() - interval '1 minute', now() + (i % 2 - 1) * interval '1 day', i % 4 = 0" + series);
        s.execute("INSERT INTO " + p + "authorization_grant (grant_id, client_id, subject, scopes, resources,"
                + " created_at, refresh_token_hash, expires_at, revoked) SELECT 'bulk-grant-' || i,"
                + " 'bulk-client-' || i, 'bulk-user-' || i, ARRAY['mcp'], ARRAY['http://127.0.0.1:1/mcp'],"
                + " now() - interval '1 day', md5('rt' || i || '-1'), now() + interval '30 days', i % 50 = 0"
                + series);
        s.execute("INSERT INTO " + p + "refresh_token (token_hash, grant_id, issued_at, replaced_by, replaced_at)"
                + " SELECT md5('rt' || i || '-' || j), 'bulk-grant-' || i, now() - interval '1 day',"
                + " CASE WHEN j = 0 THEN md5('rt' || i || '-1') END, CASE WHEN j = 0 THEN now() END"
                + " FROM generate_series(1, " + n + ") i, generate_series(0, 1) j");
        for (String table : new String[] {"client", "consent", "authorization_code", "authorization_grant",
                "refresh_token"}) {
            s.execute("VACUUM ANALYZE " + p + table);
        }
        // the load's dirty pages written now, not by a spread checkpoint during the first measurements
        s.execute("CHECKPOINT");
    }

    static String sha256(String seed) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
