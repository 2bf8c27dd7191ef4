package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class MemoryClientStore implements ClientStore {

    private final Cache<ClientID, RegisteredClient> clients;

    MemoryClientStore(int maxSize) {
        this.clients = Caches.builder().maximumSize(maxSize).build();
    }

    @Override
    public void save(RegisteredClient client) {
        clients.put(client.clientId(), client);
    }

    @Override
    public Optional<RegisteredClient> findById(ClientID clientId) {
        return Optional.ofNullable(clients.getIfPresent(Objects.requireNonNull(clientId, "clientId")));
    }

    @Override
    public void delete(ClientID clientId) {
        clients.invalidate(clientId);
    }

    @Override
    public List<RegisteredClient> findAll() {
        return clients.asMap().values().stream()
                .sorted(Comparator.comparing(c -> c.clientId().getValue())).toList();
    }
}
