package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every grant handler gets besides its typed grant: the authenticated client, the request's {@code scope}
 * and {@code resource} parameters, the instant the request is decided at, and the sender constraint the
 * {@link TokenEndpoint.SenderConstraint} step found (the JWK SHA-256 thumbprint of a DPoP proof key, RFC 9449 §6),
 * which the handler passes to {@link AccessTokens#issue} as the token's {@code cnf.jkt}.
 *
 * @param client the authenticated client
 * @param request the parsed token request
 * @param now the instant the request is decided at, from the settings' clock
 * @param confirmation the {@code cnf.jkt} to bind issued tokens to, empty for bearer tokens
 */
public record TokenContext(RegisteredClient client, TokenRequest request, Instant now, Optional<String> confirmation) {

    /** Checks for nulls. */
    public TokenContext {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(confirmation, "confirmation");
    }

    /** The {@code scope} parameter, or {@code null} if absent. */
    public Scope scope() {
        return request.getScope();
    }

    /** The {@code resource} parameters (RFC 8707), empty if none. */
    public List<URI> resources() {
        return request.getResources() == null ? List.of() : request.getResources();
    }
}
