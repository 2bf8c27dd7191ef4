package io.github.mcpoauth.client;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mcpoauth.client.internal.Http;
import io.github.mcpoauth.client.internal.ServerMetadata;

/**
 * Token endpoint requests (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-5">RFC 6749 §5</a>) and the
 * parsing of their responses. Error messages carry the OAuth {@code error} code and description, never a token.
 */
final class TokenRequests {

    private final Http http;
    private final Clock clock;

    TokenRequests(Http http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /**
     * Sends a token request and parses the answer.
     *
     * @param requested the scopes asked for, kept when the response does not list the granted ones
     * @param previous the tokens being refreshed: their refresh token is kept when no new one is issued
     */
    StoredTokens request(ServerMetadata server, ClientCredentials client, Map<String, String> params,
            Set<String> requested, Optional<StoredTokens> previous) {
        Map<String, String> form = new LinkedHashMap<>(params);
        Map<String, String> headers = new LinkedHashMap<>();
        client.apply(server.issuer(), server.tokenEndpoint(), form, headers, clock);
        Http.Reply reply = http.postForm(server.tokenEndpoint(), form, headers, "token endpoint");
        JsonNode body = reply.json().orElse(null);
        if (!reply.ok() || body == null) {
            String error = body == null ? "" : body.path("error").asText("");
            String description = body == null ? "" : body.path("error_description").asText("");
            throw new ClientAuthorizationException("token endpoint of " + server.issuer() + " answered " + reply.status()
                    + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : ": " + description));
        }
        String access = body.path("access_token").asText("");
        String type = body.path("token_type").asText("").toLowerCase(Locale.ROOT);
        if (access.isEmpty() || !(type.equals("bearer") || type.equals("dpop"))) {
            throw new ClientAuthorizationException("token endpoint of " + server.issuer()
                    + " answered without an access_token of type Bearer");
        }
        Optional<String> refresh = Optional.of(body.path("refresh_token").asText("")).filter(s -> !s.isEmpty())
                .or(() -> previous.flatMap(StoredTokens::refreshToken));
        Optional<java.time.Instant> expires = body.path("expires_in").canConvertToLong()
                && body.path("expires_in").asLong() > 0
                        ? Optional.of(clock.instant().plusSeconds(body.path("expires_in").asLong()))
                        : Optional.empty();
        Set<String> scopes = new HashSet<>();
        String granted = body.path("scope").asText("");
        if (granted.isBlank()) {
            scopes.addAll(requested);
        } else {
            for (String s : granted.trim().split("\\s+")) {
                scopes.add(s);
            }
        }
        return new StoredTokens(server.issuer(), access, refresh, expires, scopes);
    }
}
