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
    private final DpopProofs dpop;

    /** @param dpop proofs for every token request, or null for bearer tokens */
    TokenRequests(Http http, Clock clock, DpopProofs dpop) {
        this.http = http;
        this.clock = clock;
        this.dpop = dpop;
    }

    /**
     * Sends a token request and parses the answer.
     *
     * @param requested the scopes asked for, kept when the response does not list the granted ones
     * @param previous the tokens being refreshed: their refresh token is kept when no new one is issued
     */
    StoredTokens request(ServerMetadata server, ClientCredentials client, Map<String, String> params,
            Set<String> requested, Optional<StoredTokens> previous) {
        Http.Reply reply = send(server, client, params);
        if (dpop != null && reply.status() == 400 && reply.json().map(b -> b.path("error").asText(""))
                .orElse("").equals("use_dpop_nonce") && reply.headers().firstValue("DPoP-Nonce").isPresent()) {
            reply = send(server, client, params); // RFC 9449 §8: once more, with the server's nonce
        }
        JsonNode body = reply.json().orElse(null);
        if (!reply.ok() || body == null) {
            String error = body == null ? "" : body.path("error").asText("");
            String description = body == null ? "" : body.path("error_description").asText("");
            throw new ClientAuthorizationException("token endpoint of " + server.issuer()
                    + " answered " + reply.status()
                    + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : ": " + description),
                    reply.status(), reply.ok() ? null : error);
        }
        String access = body.path("access_token").asText("");
        // a token type we cannot use (or DPoP we did not ask for) is refused rather than sent as something else
        String type = body.path("token_type").asText("").toLowerCase(Locale.ROOT);
        if (access.isEmpty() || !(type.equals("bearer") || type.equals("dpop") && dpop != null)) {
            throw new ClientAuthorizationException("token endpoint of " + server.issuer()
                    + " answered without an access_token of a usable type (Bearer, or DPoP when asked for)");
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
        return new StoredTokens(server.issuer(), type.equals("dpop") ? "DPoP" : "Bearer", access, refresh, expires,
                scopes);
    }

    private Http.Reply send(ServerMetadata server, ClientCredentials client, Map<String, String> params) {
        Map<String, String> form = new LinkedHashMap<>(params);
        Map<String, String> headers = new LinkedHashMap<>();
        client.apply(server.issuer(), server.tokenEndpoint(), form, headers, clock);
        if (dpop != null) {
            headers.put("DPoP", dpop.proof("POST", server.tokenEndpoint(), null));
        }
        Http.Reply reply = http.postForm(server.tokenEndpoint(), form, headers, "token endpoint");
        if (dpop != null) {
            reply.headers().firstValue("DPoP-Nonce").ifPresent(n -> dpop.rememberNonce(server.tokenEndpoint(), n));
        }
        return reply;
    }
}
