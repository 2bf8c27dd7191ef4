package io.github.mcpoauth.client;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.mcpoauth.client.internal.Http;
import io.github.mcpoauth.client.internal.ServerMetadata;

/**
 * Finds or makes the client's registration at an authorization server, in the MCP specification's order:
 * credentials already held for that issuer, pre-registered credentials, a client ID metadata document when the
 * server advertises {@code client_id_metadata_document_supported}, RFC 7591 dynamic registration
 * (<a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3</a>) otherwise.
 */
final class Registrar {

    private final Http http;
    private final TokenStore store;
    private final String clientName;
    private final Optional<ClientCredentials> preRegistered;
    private final Optional<URI> metadataDocument;
    private String preRegisteredIssuer;

    Registrar(Http http, TokenStore store, String clientName, Optional<ClientCredentials> preRegistered,
            Optional<URI> metadataDocument) {
        this.http = http;
        this.store = store;
        this.clientName = clientName;
        this.preRegistered = preRegistered;
        this.metadataDocument = metadataDocument;
    }

    ClientCredentials clientFor(ServerMetadata server, URI redirectUri) {
        Optional<StoredClient> held = store.client(server.issuer());
        if (held.isPresent()) {
            return ClientCredentials.of(held.get());
        }
        if (preRegistered.isPresent() && bindPreRegistered(server.issuer())) {
            return preRegistered.get();
        }
        if (metadataDocument.isPresent() && server.clientIdMetadataDocumentSupported()) {
            return ClientCredentials.none(metadataDocument.get().toString());
        }
        URI endpoint = server.registrationEndpoint().orElseThrow(() -> new ClientAuthorizationException(
                "authorization server " + server.issuer() + " offers neither dynamic registration nor client ID "
                        + "metadata documents, and no pre-registered client was configured"));
        StoredClient registered = register(server, endpoint, redirectUri);
        store.saveClient(registered);
        return ClientCredentials.of(registered);
    }

    /** Pre-registered credentials belong to the first authorization server they are used with, and only to it. */
    private synchronized boolean bindPreRegistered(String issuer) {
        if (preRegisteredIssuer == null) {
            preRegisteredIssuer = issuer;
        }
        return preRegisteredIssuer.equals(issuer);
    }

    private StoredClient register(ServerMetadata server, URI endpoint, URI redirectUri) {
        String method = chooseMethod(server);
        ObjectNode body = Http.json().createObjectNode();
        body.put("client_name", clientName);
        body.putArray("redirect_uris").add(redirectUri.toString());
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("token_endpoint_auth_method", method);
        body.put("application_type", "native");
        Http.Reply reply = http.postJson(endpoint, body, "registration endpoint");
        JsonNode doc = reply.json().orElse(null);
        if (!reply.ok() || doc == null) {
            String error = doc == null ? "" : " " + doc.path("error").asText("");
            throw new ClientAuthorizationException("dynamic registration at " + endpoint + " answered "
                    + reply.status() + error);
        }
        String clientId = doc.path("client_id").asText("");
        if (clientId.isEmpty()) {
            throw new ClientAuthorizationException("dynamic registration at " + endpoint + " returned no client_id");
        }
        Optional<String> secret = Optional.of(doc.path("client_secret").asText("")).filter(s -> !s.isEmpty());
        String granted = doc.path("token_endpoint_auth_method").asText("");
        if (granted.isEmpty()) {
            granted = secret.isPresent() ? "client_secret_basic" : "none";
        }
        if (!Set.of("none", "client_secret_basic", "client_secret_post").contains(granted)) {
            throw new ClientAuthorizationException("dynamic registration at " + endpoint + " granted "
                    + "token_endpoint_auth_method " + granted + ", which this client does not support (it asked for "
                    + method + "; it supports none, client_secret_basic and client_secret_post)");
        }
        if (!granted.equals("none") && secret.isEmpty()) {
            throw new ClientAuthorizationException("dynamic registration at " + endpoint + " chose " + granted
                    + " but returned no client_secret");
        }
        return new StoredClient(server.issuer(), clientId, secret, granted);
    }

    /** A public client when allowed (or when the server does not say), else a secret in Basic, else in the body. */
    private static String chooseMethod(ServerMetadata server) {
        var supported = server.authMethodsSupported();
        if (supported.isEmpty() || supported.contains("none")) {
            return "none";
        }
        return supported.contains("client_secret_basic") ? "client_secret_basic" : "client_secret_post";
    }
}
