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

    /**
     * {@code store} with every key's private JWK encrypted at rest with AES-GCM under {@code keyEncryptionKey} (an
     * AES key of 128, 192 or 256 bits the application keeps outside the database: a secret manager, a KMS data
     * key, an environment variable). Works over any store, memory or JDBC; a key that does not decrypt (wrong
     * key, altered row, stored before encryption was on) fails to load with a message naming its id. Every node
     * needs the same key. See docs/deployment.md.
     *
     * @see <a href="https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf">NIST SP 800-38D</a>
     */
    static SigningKeyStore encrypted(SigningKeyStore store, javax.crypto.SecretKey keyEncryptionKey) {
        return io.github.mcpoauth.core.internal.keys.EncryptedSigningKeyStore.wrap(store, keyEncryptionKey);
    }

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
