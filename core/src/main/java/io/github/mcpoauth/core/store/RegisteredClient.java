package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client known to the server: registered dynamically (RFC 7591), configured by the host, or resolved from a
 * client ID metadata document. The secret, when the client has one, is held only as its hash.
 *
 * @param clientId the client identifier (RFC 6749 §2.2)
 * @param secretHash the hash of the client secret ({@link io.github.mcpoauth.core.internal.crypto.Secrets#hash}),
 *     empty for public clients
 * @param authenticationMethod {@code none}, {@code client_secret_basic}, {@code client_secret_post} or
 *     {@code private_key_jwt} (RFC 7591 §2, RFC 7523 §2.2; the public keys are the {@code jwks} member of
 *     {@code metadataJson})
 * @param redirectUris the registered redirection URIs, matched exactly (RFC 9700 §4.1.3); empty only for a client
 *     without the {@code authorization_code} grant (a machine client)
 * @param grantTypes the grant types the client may use
 * @param scopes the scopes the client may request; empty means every scope the server knows
 * @param clientName the human-readable name shown on the consent page, if any
 * @param metadataJson the registered client metadata as a JSON object, as returned by registration (RFC 7591 §3.2.1)
 * @param issuedAt when the client was registered
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-2">RFC 7591 §2</a>
 */
public record RegisteredClient(
        ClientID clientId,
        Optional<String> secretHash,
        ClientAuthenticationMethod authenticationMethod,
        List<URI> redirectUris,
        Set<GrantType> grantTypes,
        Set<String> scopes,
        Optional<String> clientName,
        String metadataJson,
        Instant issuedAt) {

    /** Checks the invariants and makes the collections unmodifiable. */
    public RegisteredClient {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(authenticationMethod, "authenticationMethod");
        redirectUris = List.copyOf(Objects.requireNonNull(redirectUris, "redirectUris"));
        grantTypes = Set.copyOf(Objects.requireNonNull(grantTypes, "grantTypes"));
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(metadataJson, "metadataJson");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (redirectUris.isEmpty() && grantTypes.contains(GrantType.AUTHORIZATION_CODE)) {
            throw new IllegalArgumentException("redirectUris must not be empty");
        }
        boolean withSecret = ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(authenticationMethod)
                || ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(authenticationMethod);
        if (withSecret != secretHash.isPresent()) {
            throw new IllegalArgumentException(
                    "secretHash must be present exactly when authenticationMethod is client_secret_basic or _post");
        }
    }

    /** Whether the client authenticates (RFC 6749 §2.1): with a secret or a private key. */
    public boolean isConfidential() {
        return !ClientAuthenticationMethod.NONE.equals(authenticationMethod);
    }

    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + clientId + ", authenticationMethod=" + authenticationMethod
                + ", redirectUris=" + redirectUris + ", grantTypes=" + grantTypes + ", scopes=" + scopes
                + ", clientName=" + clientName.orElse("") + ", issuedAt=" + issuedAt + "]";
    }
}
