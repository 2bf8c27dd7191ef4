package io.github.mcpoauth.core.store;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Storage of {@link SigningKey}s, shared by every node so that all publish the same JWKS.
 *
 * <p>{@link #saveIfUnchanged} is the compare-and-set that makes nodes starting together on an empty store agree
 * on one first key (and on one successor at each rotation).
 */
public interface SigningKeyStore {

    /** Saves a key, replacing a key with the same id. */
    void save(SigningKey key);

    /** Every key held, in no particular order. */
    List<SigningKey> findAll();

    /**
     * Saves {@code key} only if the ids of the keys held now are exactly {@code expectedKeyIds} (the keys the
     * caller read before deciding to make it), atomically: of any number of concurrent calls made on the same
     * reading, on any number of nodes, exactly one saves its key; the others return {@code false}, read again and
     * use the key that won.
     *
     * <p>The default is atomic within this instance only (it locks the instance); stores shared by several nodes
     * (the JDBC store) override it.
     *
     * @return {@code true} if {@code key} was saved
     */
    default boolean saveIfUnchanged(SigningKey key, Set<String> expectedKeyIds) {
        synchronized (this) {
            Set<String> held = findAll().stream().map(SigningKey::keyId).collect(Collectors.toSet());
            if (!held.equals(expectedKeyIds)) {
                return false;
            }
            save(key);
            return true;
        }
    }
}
