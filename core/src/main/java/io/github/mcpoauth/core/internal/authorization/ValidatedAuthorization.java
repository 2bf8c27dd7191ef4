package io.github.mcpoauth.core.internal.authorization;

import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An authorization request that passed every check (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2): what the
 * consent page shows and what the code will carry.
 *
 * @param client the client
 * @param redirectUri the URI the response goes to (a registered one, or a loopback URI on another port)
 * @param requestedRedirectUri the {@code redirect_uri} parameter as sent, empty if omitted
 * @param state the {@code state} to echo, if sent
 * @param scopes the scopes that will be granted
 * @param resources the resources the tokens will be bound to
 * @param codeChallenge the S256 code challenge
 * @param parameters the request's non-empty parameters, for a consent form to send back
 */
public record ValidatedAuthorization(
        RegisteredClient client,
        URI redirectUri,
        Optional<URI> requestedRedirectUri,
        Optional<String> state,
        Set<String> scopes,
        List<URI> resources,
        String codeChallenge,
        Map<String, List<String>> parameters) {

    /** Checks the invariants and makes the collections unmodifiable. */
    public ValidatedAuthorization {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(requestedRedirectUri, "requestedRedirectUri");
        Objects.requireNonNull(state, "state");
        scopes = Set.copyOf(scopes);
        resources = List.copyOf(resources);
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        parameters = parameters.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** The client's display name: its {@code client_name}, or its id. */
    public String clientDisplayName() {
        return client.clientName().orElse(client.clientId().getValue());
    }
}
