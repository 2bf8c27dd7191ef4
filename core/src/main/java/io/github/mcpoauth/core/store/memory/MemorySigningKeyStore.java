package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

final class MemorySigningKeyStore implements SigningKeyStore {

    private final ConcurrentMap<String, SigningKey> keys = new ConcurrentHashMap<>();

    @Override
    public void save(SigningKey key) {
        keys.put(key.keyId(), key);
    }

    @Override
    public List<SigningKey> findAll() {
        return List.copyOf(keys.values());
    }
}
