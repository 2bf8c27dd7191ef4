package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestClients;
import io.github.mcpoauth.core.store.testkit.TestCodes;
import io.github.mcpoauth.core.store.testkit.TestConsents;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import io.github.mcpoauth.core.internal.revocation.RevocationLog;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 (flat at scale): with {@value #ROWS} clients, codes, grants and consents and three times as many refresh
 * token hashes loaded and analysed, every statement of the hot paths (as the stores send it, recorded on the wire
 * with its parameters) is planned on an index: no sequential scan of a table that grows with use.
 */
class ExplainPlansTest {

    static final int ROWS = 100_000;

    private static final TestSchema SCHEMA = TestSchema.create();
    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\S+)");

    private final MutableClock clock = MutableClock.at(MutableClock.START);

    @BeforeAll
    static void load() throws SQLException {
        String expires = "timestamptz '" + MutableClock.START.plus(Duration.ofDays(30)) + "'";
        String issued = "timestamptz '" + MutableClock.START.minus(Duration.ofDays(1)) + "'";
        Tables t = SCHEMA.tables;
        try (Connection c = SCHEMA.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + t.client + " (client_id, authentication_method, redirect_uris, grant_types,"
                    + " scopes, client_name, metadata_json, issued_at) SELECT 'bulk-client-' || i, 'none',"
                    + " ARRAY['http://127.0.0.1/callback'], ARRAY['authorization_code', 'refresh_token'], ARRAY['mcp'],"
                    + " 'bulk', '{}'::json, " + issued + " FROM generate_series(1, " + ROWS + ") i");
            s.execute("INSERT INTO " + t.code + " (code_hash, client_id, subject, redirect_uri, scopes, resources,"
                    + " code_challenge, grant_id, issued_at, expires_at, consumed) SELECT md5('code' || i),"
                    + " 'bulk-client-' || i, 'user-' || (i % 10000), 'http://127.0.0.1/callback', ARRAY['mcp'],"
                    + " ARRAY['https://mcp.example.com/mcp'], md5('challenge' || i), 'code-grant-' || i, " + issued
                    + ", " + issued + " + (i % 2) * interval '60 days', i % 3 = 0 FROM generate_series(1, " + ROWS
                    + ") i");
            s.execute("INSERT INTO " + t.grant + " (grant_id, client_id, subject, scopes, resources, created_at,"
                    + " refresh_token_hash, expires_at, revoked) SELECT 'bulk-grant-' || i, 'bulk-client-' || i,"
                    + " 'user-' || (i % 10000), ARRAY['mcp'], ARRAY['https://mcp.example.com/mcp'], " + issued
                    + ", md5('rt' || i || '-2'), " + expires + ", i % 50 = 0 FROM generate_series(1, " + ROWS + ") i");
            s.execute("INSERT INTO " + t.refreshToken + " (token_hash, grant_id, issued_at, replaced_by, replaced_at)"
                    + " SELECT md5('rt' || i || '-' || j), 'bulk-grant-' || i, " + issued + ","
                    + " CASE WHEN j < 2 THEN md5('rt' || i || '-' || (j + 1)) END,"
                    + " CASE WHEN j < 2 THEN " + issued + " END"
                    + " FROM generate_series(1, " + ROWS + ") i, generate_series(0, 2) j ORDER BY i, j");
            s.execute("INSERT INTO " + t.consent + " (subject, client_id, scopes, resources, granted_at)"
                    + " SELECT 'user-' || (i % 10000), 'bulk-client-' || i, ARRAY['mcp'],"
                    + " ARRAY['https://mcp.example.com/mcp'], " + issued + " FROM generate_series(1, " + ROWS + ") i");
            for (String table : List.of(t.client, t.code, t.grant, t.refreshToken, t.consent)) {
                s.execute("ANALYZE " + table);
            }
        }
    }

    @Test
    void whenTheTablesHoldManyRowsThenEveryHotStatementIsPlannedOnAnIndex() throws SQLException {
        RecordingDataSource recording = new RecordingDataSource(SCHEMA.dataSource);
        Stores stores = JdbcStores.newBuilder(recording.dataSource(), clock).schema(SCHEMA.name).build().stores();
        Map<String, List<RecordingDataSource.Executed>> byOperation = new LinkedHashMap<>();

        var client = TestClients.publicClient().build();
        run(recording, byOperation, "register client", () -> stores.clients().save(client));
        run(recording, byOperation, "find client", () -> stores.clients().findById(client.clientId()));
        run(recording, byOperation, "find client (bulk)",
                () -> stores.clients().findById(new ClientID("bulk-client-4242")));
        AuthorizationCode code = TestCodes.code().build();
        run(recording, byOperation, "save code", () -> stores.codes().save(code));
        run(recording, byOperation, "find code", () -> stores.codes().find(code.codeHash()));
        Grant grant = TestGrants.grant().grantId(code.grantId()).subject("user-42").build();
        run(recording, byOperation, "redeem code", () -> stores.codes().redeem(code.codeHash(), grant,
                stores.grants()));
        run(recording, byOperation, "consume code", () -> stores.codes().consume(code.codeHash()));
        run(recording, byOperation, "find grant", () -> stores.grants().findById(grant.grantId()));
        run(recording, byOperation, "find grant by refresh token",
                () -> stores.grants().findByRefreshToken(grant.grantId(),
                        grant.refreshTokenHash().orElseThrow()));
        String next = TestGrants.newRefreshTokenHash();
        run(recording, byOperation, "rotate", () -> stores.grants().rotate(grant.grantId(),
                grant.refreshTokenHash().orElseThrow(), next, MutableClock.START.plus(Duration.ofDays(30))));
        String bulkCurrent = hash("rt77-2");
        run(recording, byOperation, "rotate (bulk grant with history)", () -> assertThat(stores.grants().rotate(
                "bulk-grant-77", bulkCurrent, TestGrants.newRefreshTokenHash(),
                MutableClock.START.plus(Duration.ofDays(30)))).isTrue());
        run(recording, byOperation, "rotation of", () -> stores.grants().rotationOf(
                grant.grantId(), grant.refreshTokenHash().orElseThrow()));
        run(recording, byOperation, "find by subject", () -> stores.grants().findBySubject("user-42", 50));
        run(recording, byOperation, "revoke grant", () -> stores.grants().revoke(grant.grantId()));
        run(recording, byOperation, "revocation log after", () -> ((RevocationLog.Source) stores.grants())
                .revocationLog().after(0, 500));
        run(recording, byOperation, "save consent",
                () -> stores.consents().save(TestConsents.consent().subject("user-42").build()));
        run(recording, byOperation, "find consent",
                () -> stores.consents().find("user-42", new ClientID("bulk-client-42")));

        List<String> scans = new ArrayList<>();
        List<String> plans = new ArrayList<>();
        try (Connection c = SCHEMA.dataSource.getConnection()) {
            for (Map.Entry<String, List<RecordingDataSource.Executed>> op : byOperation.entrySet()) {
                for (RecordingDataSource.Executed e : op.getValue()) {
                    if (e.sql().startsWith("LOCK ")) {
                        continue; // the revocation's table lock (sequence order): nothing to plan
                    }
                    String plan = explain(c, e);
                    plans.add(op.getKey() + ":\n" + plan);
                    Matcher m = SEQ_SCAN.matcher(plan);
                    while (m.find()) {
                        scans.add(op.getKey() + ": Seq Scan on " + m.group(1));
                    }
                }
            }
        }

        assertThat(byOperation.values()).allSatisfy(executed -> assertThat(executed).isNotEmpty());
        assertThat(scans).as(String.join("\n\n", plans)).isEmpty();
        assertThat(String.join("\n", plans)).contains("Index");
    }

    /** A hash as the bulk load made it: {@code md5(seed)}. */
    private static String hash(String seed) throws SQLException {
        try (Connection c = SCHEMA.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT md5(?)")) {
            ps.setString(1, seed);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void run(RecordingDataSource recording, Map<String, List<RecordingDataSource.Executed>> into,
            String operation, Runnable work) {
        recording.reset();
        work.run();
        into.put(operation, recording.executed());
    }

    /** The plan PostgreSQL makes for {@code e} with its parameters (EXPLAIN: planned, not run). */
    private static String explain(Connection c, RecordingDataSource.Executed e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + e.sql())) {
            for (Map.Entry<Integer, Object> p : e.parameters().entrySet()) {
                Object value = p.getValue();
                if (value instanceof Array array) {
                    ps.setArray(p.getKey(), c.createArrayOf("text", (Object[]) array.getArray()));
                } else if (value == null) {
                    ps.setNull(p.getKey(), java.sql.Types.VARCHAR);
                } else {
                    ps.setObject(p.getKey(), value);
                }
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
