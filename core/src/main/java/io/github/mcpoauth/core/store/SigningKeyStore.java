package io.github.mcpoauth.core.store;

import java.util.List;

/** Storage of {@link SigningKey}s, shared by every node so that all publish the same JWKS. */
public interface SigningKeyStore {

    /** Saves a key, replacing a key with the same id. */
    void save(SigningKey key);

    /** Every key held, in no particular order. */
    List<SigningKey> findAll();
}
