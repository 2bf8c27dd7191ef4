package io.github.mcpoauth.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenStore#inMemory()}. */
final class InMemoryTokenStore implements TokenStore {

    private final Map<String, StoredTokens> tokens = new ConcurrentHashMap<>();
    private final Map<String, StoredClient> clients = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredTokens> tokens(String serverUrl) {
        return Optional.ofNullable(tokens.get(serverUrl));
    }

    @Override
    public void saveTokens(String serverUrl, StoredTokens value) {
        tokens.put(serverUrl, value);
    }

    @Override
    public void removeTokens(String serverUrl) {
        tokens.remove(serverUrl);
    }

    @Override
    public Optional<StoredClient> client(String issuer) {
        return Optional.ofNullable(clients.get(issuer));
    }

    @Override
    public void saveClient(StoredClient client) {
        clients.put(client.issuer(), client);
    }

    @Override
    public void removeClient(String issuer) {
        clients.remove(issuer);
    }
}
