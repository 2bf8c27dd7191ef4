package io.github.mcpoauth.core.internal.revocation;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The revocations of a shared grant store, in commit order: what every node reads to learn of grants revoked
 * elsewhere. The JDBC grant store writes one entry in the same transaction as every revocation, and serialises
 * those writers, so an entry's sequence number never precedes one already visible: reading "after the last
 * sequence seen" misses nothing.
 *
 * <p>Reads throw the store's exception when the store cannot be reached.
 */
public interface RevocationLog {

    /** The newest sequence number in the log, 0 if it is empty. */
    long newest();

    /** At most {@code limit} entries with a sequence number above {@code seq}, in order. */
    List<Entry> after(long seq, int limit);

    /**
     * Calls {@code listener} with the id of every grant this node revokes through the store, on the revoking
     * thread, once the revocation is committed and before the store's {@code revoke} returns.
     *
     * @return the subscription; closing it stops the calls
     */
    Subscription onLocalRevocation(Consumer<String> listener);

    /** A registration that {@link #close()} ends. */
    interface Subscription extends AutoCloseable {

        /** Stops the calls. Idempotent. */
        @Override
        void close();
    }

    /**
     * A grant store that keeps a revocation log.
     */
    interface Source {

        /** The log of this store's revocations. */
        RevocationLog revocationLog();
    }

    /**
     * One revocation.
     *
     * @param seq its position in the log
     * @param grantId the revoked grant
     */
    record Entry(long seq, String grantId) {

        /** Checks the grant id is present. */
        public Entry {
            Objects.requireNonNull(grantId, "grantId");
        }
    }
}
