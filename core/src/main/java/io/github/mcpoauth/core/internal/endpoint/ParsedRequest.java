package io.github.mcpoauth.core.internal.endpoint;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.util.Objects;
import java.util.Optional;

/**
 * A request core has parsed: the HTTP request as received, the typed protocol request Nimbus made of it, and the
 * client it names, before that client is authenticated (the user part of HTTP Basic, the {@code client_id} of a
 * form, the issuer of a client assertion): what the servlet edge rate-limits by. Parsed once; the handler uses the
 * same value.
 *
 * @param http     the request as received
 * @param value    the typed request, e.g. a Nimbus {@code TokenRequest}
 * @param clientId the client the request names, not yet authenticated; empty if it names none
 * @param <T>      the type of the typed request
 */
public record ParsedRequest<T>(HTTPRequest http, T value, Optional<ClientID> clientId) {

    /** Checks every field, naming the missing one. */
    public ParsedRequest {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** A request that names no client, whose typed form is the HTTP request itself. */
    public static ParsedRequest<HTTPRequest> anonymous(HTTPRequest http) {
        return new ParsedRequest<>(http, http, Optional.empty());
    }

    /** The client a request names: the authenticating client if it authenticates, else its {@code client_id}. */
    public static Optional<ClientID> clientOf(ClientAuthentication authentication, ClientID clientId) {
        if (authentication != null) {
            return Optional.ofNullable(authentication.getClientID());
        }
        return Optional.ofNullable(clientId);
    }
}
