package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.id.ClientID;
import java.util.List;
import java.util.Optional;

/**
 * Storage of {@link RegisteredClient}s.
 *
 * <p>Implementations are thread-safe. Failures other than "not found" are thrown as unchecked exceptions; the
 * server answers them with {@code server_error} and changes nothing else.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3</a>
 */
public interface ClientStore {

    /** Saves a client, replacing any client with the same id. */
    void save(RegisteredClient client);

    /** The client with this id, if any. */
    Optional<RegisteredClient> findById(ClientID clientId);

    /** Removes the client with this id, if any; its grants become unusable because the client is gone. */
    void delete(ClientID clientId);

    /**
     * Every client saved in this store, for administration ({@code MachineClients#list}); clients resolved from
     * client ID metadata documents are not saved and so not listed. The default throws
     * {@link UnsupportedOperationException}: a store written before this method may not be able to list.
     */
    default List<RegisteredClient> findAll() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list its clients");
    }
}
