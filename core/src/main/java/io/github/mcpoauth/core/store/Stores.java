package io.github.mcpoauth.core.store;

import java.util.Objects;

/**
 * The five stores an authorization server uses, as one value.
 *
 * @param clients the client store
 * @param codes the authorization code store
 * @param grants the grant and refresh token store
 * @param consents the consent store
 * @param keys the signing key store
 */
public record Stores(ClientStore clients, AuthorizationCodeStore codes, GrantStore grants, ConsentStore consents,
        SigningKeyStore keys) {

    /** Checks that every store is present. */
    public Stores {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(consents, "consents");
        Objects.requireNonNull(keys, "keys");
    }

    /** The same stores with {@code clients} in place of the client store, e.g. a decorator of it. */
    public Stores withClients(ClientStore clients) {
        return new Stores(clients, codes, grants, consents, keys);
    }

    /** The same stores with {@code keys} in place of the key store, e.g. {@link SigningKeyStore#encrypted}. */
    public Stores withKeys(SigningKeyStore keys) {
        return new Stores(clients, codes, grants, consents, keys);
    }
}
