package io.github.mcpoauth.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.mcpoauth.client.internal.Discovery;
import io.github.mcpoauth.client.internal.ServerMetadata;

/**
 * Runs the configured grant once the authorization server is known: the authorization code grant (with
 * registration), {@code client_credentials}, or the JWT bearer grant
 * (<a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.1">RFC 7523 §2.1</a>); and the refresh grant
 * (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6</a>).
 */
final class Grants {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final TokenStore store;
    private final Registrar registrar;
    private final TokenRequests tokens;
    private final AuthorizationCodeFlow codeFlow;
    private final ClientCredentials machineClient;
    private final AssertionSource assertions;

    Grants(TokenStore store, Registrar registrar, TokenRequests tokens, AuthorizationCodeFlow codeFlow,
            ClientCredentials machineClient, AssertionSource assertions) {
        this.store = store;
        this.registrar = registrar;
        this.tokens = tokens;
        this.codeFlow = codeFlow;
        this.machineClient = machineClient;
        this.assertions = assertions;
    }

    StoredTokens authorize(Discovery.Result result, Set<String> requested) {
        ServerMetadata server = result.server();
        String resource = result.resource().map(URI::toString).orElse(null);
        if (machineClient != null && assertions == null) {
            return tokens.request(server, machineClient, form("client_credentials", requested, resource), requested,
                    Optional.empty());
        }
        if (assertions != null) {
            String assertion;
            try {
                assertion = assertions.assertion(server.issuer(), resource);
            } catch (ClientAuthorizationException e) {
                throw e;
            } catch (Exception e) {
                throw new ClientAuthorizationException("the assertion source failed: " + e.getMessage(), e);
            }
            Map<String, String> form = form(JWT_BEARER, requested, resource);
            form.put("assertion", assertion);
            return tokens.request(server, machineClient, form, requested, Optional.empty());
        }
        Set<String> scopes = new LinkedHashSet<>(requested);
        if (server.scopesSupported().contains("offline_access")) {
            scopes.add("offline_access");
        }
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            ClientCredentials client = registrar.clientFor(server, receiver.redirectUri());
            return codeFlow.run(server, client, result.resource(), scopes, receiver);
        }
    }

    /**
     * @return the new tokens; empty when there is no client to refresh with, when the grant is gone (400
     *         {@code invalid_grant}), or when the client is unknown ({@code invalid_client}: a stored registration
     *         is forgotten, so that the next authorization registers anew)
     * @throws ClientAuthorizationException on any other failure (a timeout, a 5xx): the grant may still be good
     */
    Optional<StoredTokens> refresh(Discovery.Result result, StoredTokens held) {
        ServerMetadata server = result.server();
        ClientCredentials client = machineClient != null ? machineClient
                : store.client(server.issuer()).map(ClientCredentials::of).orElse(null);
        if (client == null || held.refreshToken().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", held.refreshToken().get());
        result.resource().ifPresent(r -> form.put("resource", r.toString()));
        try {
            return Optional.of(tokens.request(server, client, form, held.scopes(), Optional.of(held)));
        } catch (ClientAuthorizationException e) {
            String error = e.oauthError().orElse("");
            int status = e.httpStatus().orElse(0);
            if (status == 400 && error.equals("invalid_grant")) {
                return Optional.empty();
            }
            if ((status == 400 || status == 401) && error.equals("invalid_client")) {
                if (machineClient == null) {
                    store.removeClient(server.issuer());
                }
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Map<String, String> form(String grantType, Set<String> scopes, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        if (resource != null) {
            form.put("resource", resource);
        }
        return form;
    }
}
