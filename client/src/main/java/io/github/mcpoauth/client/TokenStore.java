package io.github.mcpoauth.client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the client keeps its registrations (by issuer) and tokens (by MCP server URL). Implementations must be
 * thread-safe; they hold secrets, so they must not log values.
 *
 * <p>Two ship with the library: {@link #inMemory()} and {@link #file(Path)} (a JSON file readable by its owner
 * only).
 */
public interface TokenStore {

    /** @return the tokens held for the MCP server */
    Optional<StoredTokens> tokens(String serverUrl);

    /** Replaces the tokens held for the MCP server (refresh token rotation: the new one replaces the old). */
    void saveTokens(String serverUrl, StoredTokens tokens);

    /** Forgets the tokens of the MCP server. */
    void removeTokens(String serverUrl);

    /** @return the registration at the authorization server */
    Optional<StoredClient> client(String issuer);

    /** Saves a registration (keyed by its issuer). */
    void saveClient(StoredClient client);

    /** Forgets the registration at the authorization server (it answered {@code invalid_client}). */
    void removeClient(String issuer);

    /** @return a store that lives as long as the JVM */
    static TokenStore inMemory() {
        return new InMemoryTokenStore();
    }

    /**
     * @param file a JSON file, created with owner-only permissions (rw-------) where the file system supports POSIX
     *        permissions; every change is a read-modify-write under a lock on a sibling {@code .lock} file, so that
     *        several stores on one file, in one JVM or in several processes, lose no update
     * @return a store that survives restarts
     */
    static TokenStore file(Path file) {
        return new FileTokenStore(file);
    }
}
