package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.StoreCleanup;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Purges expired rows in batches of {@value #BATCH}, each batch a transaction of its own, so that a large backlog
 * never holds locks for long; rows another node is purging at the same moment are skipped ({@code SKIP LOCKED}).
 */
final class JdbcCleanup implements StoreCleanup {

    static final int BATCH = 1000;

    private static final System.Logger LOG = System.getLogger(JdbcCleanup.class.getName());

    private final Jdbc jdbc;
    private final Tables t;
    private final Clock clock;
    private final Optional<Duration> idleClientAge;
    private final Predicate<? super RegisteredClient> deletableClients;

    JdbcCleanup(Jdbc jdbc, Tables tables, Clock clock, Optional<Duration> idleClientAge,
            Predicate<? super RegisteredClient> deletableClients) {
        this.jdbc = jdbc;
        this.t = tables;
        this.clock = clock;
        this.idleClientAge = idleClientAge;
        this.deletableClients = deletableClients;
    }

    @Override
    public Result run() {
        Instant now = clock.instant();
        int codes = purgeCodes(now);
        int[] grants = purgeGrants(now);
        int keys = purgeSigningKeys(now);
        purgeRevocationLog(now.minus(JdbcRevocationLog.RETENTION));
        int[] clients = idleClientAge.isPresent() ? purgeIdleClients(now.minus(idleClientAge.get())) : new int[2];
        return new Result(codes, grants[0], grants[1], keys, clients[0], clients[1]);
    }

    private int purgeCodes(Instant now) {
        return deleteInBatches("purge expired authorization codes", "DELETE FROM " + t.code
                + " WHERE code_hash IN (SELECT code_hash FROM " + t.code + " WHERE expires_at <= ? LIMIT " + BATCH
                + " FOR UPDATE SKIP LOCKED)", now);
    }

    /**
     * Runs {@code sql} (a DELETE of at most {@value #BATCH} rows, its one parameter {@code before}) batch after
     * batch, each in a transaction of its own, until a batch removes fewer; returns how many rows it removed.
     */
    private int deleteInBatches(String what, String sql, Instant before) {
        int total = 0;
        int removed;
        do {
            removed = jdbc.inTransaction(what, c -> {
                try (PreparedStatement ps = jdbc.prepare(c, sql)) {
                    ps.setObject(1, Jdbc.timestamp(before));
                    return ps.executeUpdate();
                }
            });
            total += removed;
        } while (removed == BATCH);
        return total;
    }

    /** Removes expired grants with their refresh token hashes, noting on each client when its last grant ended. */
    private int[] purgeGrants(Instant now) {
        String select = "SELECT grant_id FROM " + t.grant + " WHERE expires_at <= ? ORDER BY expires_at LIMIT "
                + BATCH + " FOR UPDATE SKIP LOCKED";
        // Client rows are locked in one order before the UPDATE below touches them: two nodes purging disjoint
        // batches would otherwise update shared clients in different orders and deadlock.
        String lockClients = "SELECT client_id FROM " + t.client + " WHERE client_id IN (SELECT client_id FROM "
                + t.grant + " WHERE grant_id = ANY (?)) ORDER BY client_id FOR UPDATE";
        String deleteTokens = "DELETE FROM " + t.refreshToken + " WHERE grant_id = ANY (?)";
        String deleteGrants = "WITH doomed AS (DELETE FROM " + t.grant + " WHERE grant_id = ANY (?)"
                + " RETURNING client_id, expires_at),"
                + " latest AS (SELECT client_id, max(expires_at) AS last_at FROM doomed GROUP BY client_id),"
                + " touched AS (UPDATE " + t.client + " c SET last_active_at = latest.last_at FROM latest"
                + " WHERE c.client_id = latest.client_id"
                + " AND (c.last_active_at IS NULL OR c.last_active_at < latest.last_at) RETURNING 1)"
                + " SELECT count(*) FROM doomed";
        int[] total = new int[2];
        int batch;
        do {
            int[] removed = jdbc.inTransaction("purge expired grants", c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = jdbc.prepare(c, select)) {
                    ps.setObject(1, Jdbc.timestamp(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return new int[] {0, 0, 0};
                }
                Array idArray = Jdbc.textArray(c, ids, false);
                try (PreparedStatement ps = jdbc.prepare(c, lockClients)) {
                    ps.setArray(1, idArray);
                    ps.executeQuery().close();
                }
                int tokens;
                try (PreparedStatement ps = jdbc.prepare(c, deleteTokens)) {
                    ps.setArray(1, idArray);
                    tokens = ps.executeUpdate();
                }
                int grants;
                try (PreparedStatement ps = jdbc.prepare(c, deleteGrants)) {
                    ps.setArray(1, idArray);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        grants = rs.getInt(1);
                    }
                }
                return new int[] {grants, tokens, ids.size()};
            });
            total[0] += removed[0];
            total[1] += removed[1];
            batch = removed[2];
        } while (batch == BATCH);
        return total;
    }

    /** Trims the revocation log (schema V5); not counted in the result, which names the stores' own records. */
    private void purgeRevocationLog(Instant before) {
        deleteInBatches("trim the revocation log", "DELETE FROM " + t.grantRevocation
                + " WHERE seq IN (SELECT seq FROM " + t.grantRevocation + " WHERE revoked_at <= ? ORDER BY revoked_at"
                + " LIMIT " + BATCH + ")", before);
    }

    private int purgeSigningKeys(Instant now) {
        String sql = "DELETE FROM " + t.signingKey + " WHERE expires_at <= ?";
        return jdbc.inTransaction("purge expired signing keys", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, sql)) {
                ps.setObject(1, Jdbc.timestamp(now));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes the clients the predicate accepts that were registered before {@code cutoff} and have had no grant
     * alive since, with their consents. The condition is checked again by the DELETE itself, so a client that
     * got a grant in between is kept.
     */
    private int[] purgeIdleClients(Instant cutoff) {
        String idle = " c.issued_at <= ? AND (c.last_active_at IS NULL OR c.last_active_at <= ?)"
                + " AND NOT EXISTS (SELECT 1 FROM " + t.grant + " g WHERE g.client_id = c.client_id"
                + " AND g.expires_at > ?)";
        String select = "SELECT " + JdbcClientStore.COLUMNS + " FROM " + t.client + " c WHERE c.client_id > ? AND"
                + idle + " ORDER BY c.client_id LIMIT " + BATCH;
        String deleteClients = "DELETE FROM " + t.client + " c WHERE c.client_id = ANY (?) AND" + idle
                + " RETURNING c.client_id";
        String deleteConsents = "DELETE FROM " + t.consent + " WHERE client_id = ANY (?)";
        int[] total = new int[2];
        String after = "";
        while (true) {
            String from = after;
            List<RegisteredClient> candidates = jdbc.inTransaction("find idle clients", c -> {
                List<RegisteredClient> found = new ArrayList<>();
                try (PreparedStatement ps = jdbc.prepare(c, select)) {
                    ps.setString(1, from);
                    bindIdle(ps, 2, cutoff);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(JdbcClientStore.map(rs));
                        }
                    }
                }
                return found;
            });
            if (candidates.isEmpty()) {
                return total;
            }
            after = candidates.get(candidates.size() - 1).clientId().getValue();
            List<String> doomed = candidates.stream().filter(this::deletable).map(k -> k.clientId().getValue())
                    .toList();
            if (!doomed.isEmpty()) {
                int[] removed = jdbc.inTransaction("delete idle clients", c -> {
                    List<String> deleted = new ArrayList<>();
                    try (PreparedStatement ps = jdbc.prepare(c, deleteClients)) {
                        ps.setArray(1, Jdbc.textArray(c, doomed, false));
                        bindIdle(ps, 2, cutoff);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                deleted.add(rs.getString(1));
                            }
                        }
                    }
                    return new int[] {deleted.size(), deleteConsents(c, deleteConsents, deleted)};
                });
                total[0] += removed[0];
                total[1] += removed[1];
            }
            if (candidates.size() < BATCH) {
                return total;
            }
        }
    }

    private int deleteConsents(Connection c, String sql, List<String> clientIds) throws SQLException {
        if (clientIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = jdbc.prepare(c, sql)) {
            ps.setArray(1, Jdbc.textArray(c, clientIds, false));
            return ps.executeUpdate();
        }
    }

    private static void bindIdle(PreparedStatement ps, int first, Instant cutoff) throws SQLException {
        ps.setObject(first, Jdbc.timestamp(cutoff));
        ps.setObject(first + 1, Jdbc.timestamp(cutoff));
        ps.setObject(first + 2, Jdbc.timestamp(cutoff));
    }

    private boolean deletable(RegisteredClient client) {
        try {
            return deletableClients.test(client);
        } catch (RuntimeException e) {
            // A failing host predicate keeps the client: deleting is the step that cannot be undone.
            LOG.log(System.Logger.Level.WARNING, "client cleanup predicate failed for " + client.clientId()
                    + "; keeping the client", e);
            return false;
        }
    }
}
