package io.github.mcpoauth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The client's registration at one authorization server, keyed by issuer: credentials are never reused with
 * another authorization server (<a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591
 * §3.2.1</a>). {@link #toString()} never shows the secret.
 *
 * @param issuer the authorization server's issuer identifier
 * @param clientId the client identifier (an https URL for a client ID metadata document)
 * @param clientSecret the secret of a confidential client
 * @param authMethod {@code none}, {@code client_secret_basic} or {@code client_secret_post}
 */
public record StoredClient(String issuer, String clientId, Optional<String> clientSecret, String authMethod) {

    /** Validates. */
    public StoredClient {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(authMethod, "authMethod");
    }

    @Override
    public String toString() {
        return "StoredClient[issuer=" + issuer + ", clientId=" + clientId + ", authMethod=" + authMethod + "]";
    }
}
