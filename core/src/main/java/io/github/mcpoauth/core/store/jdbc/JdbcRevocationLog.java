package io.github.mcpoauth.core.store.jdbc;

import io.github.mcpoauth.core.internal.revocation.RevocationLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@code grant_revocation} table (schema V5): the JDBC grant store's revocations, in commit order, for the
 * revocation feed of every node; and this node's own revocations, told to its listeners at once.
 *
 * <p>Commit order: a revoking transaction locks the table ({@code EXCLUSIVE}, which plain reads do not wait for)
 * before its row draws a sequence number, so no row can commit with a number below one already visible, and a
 * reader that asks for rows after the last number it saw misses none.
 */
final class JdbcRevocationLog implements RevocationLog {

    /** How long a row is kept: far longer than any node may lag before it forgets its cache anyway. */
    static final Duration RETENTION = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger(JdbcRevocationLog.class.getName());

    private final Jdbc jdbc;
    private final Clock clock;
    private final String lock;
    private final String revokeAndRecord;
    private final String newest;
    private final String after;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    JdbcRevocationLog(Jdbc jdbc, Tables tables, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lock = "LOCK TABLE " + tables.grantRevocation + " IN EXCLUSIVE MODE";
        // One row per grant that this statement revoked: revoking a revoked grant again logs nothing.
        this.revokeAndRecord = "WITH revoked AS (UPDATE " + tables.grant + " SET revoked = true"
                + " WHERE grant_id = ? AND NOT revoked RETURNING grant_id)"
                + " INSERT INTO " + tables.grantRevocation + " (grant_id, revoked_at) SELECT grant_id, ? FROM revoked";
        this.newest = "SELECT coalesce(max(seq), 0) FROM " + tables.grantRevocation;
        this.after = "SELECT seq, grant_id FROM " + tables.grantRevocation + " WHERE seq > ? ORDER BY seq LIMIT ?";
    }

    /**
     * Revokes the grant and logs it, on {@code c}, in the caller's transaction.
     *
     * @return 1 if this call revoked it, 0 if it was revoked already or is unknown
     */
    int revoke(Connection c, String grantId) throws SQLException {
        try (PreparedStatement ps = jdbc.prepare(c, lock)) {
            ps.execute();
        }
        try (PreparedStatement ps = jdbc.prepare(c, revokeAndRecord)) {
            ps.setString(1, grantId);
            ps.setObject(2, Jdbc.timestamp(clock.instant()));
            return ps.executeUpdate();
        }
    }

    /** Tells this node's listeners that {@code grantId} was revoked here; a failing listener is logged. */
    void revokedHere(String grantId) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(grantId);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a local revocation listener failed", e);
            }
        }
    }

    @Override
    public long newest() {
        return jdbc.singleStatement("read the revocation log", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, newest); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Entry> after(long seq, int limit) {
        return jdbc.singleStatement("read the revocation log", c -> {
            try (PreparedStatement ps = jdbc.prepare(c, after)) {
                ps.setLong(1, seq);
                ps.setInt(2, limit);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getString(2)));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public Subscription onLocalRevocation(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
