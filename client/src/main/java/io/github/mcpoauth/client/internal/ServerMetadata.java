package io.github.mcpoauth.client.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mcpoauth.client.ClientAuthorizationException;

/**
 * The parts of authorization server metadata (<a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC
 * 8414 §2</a>) the client uses.
 *
 * @param issuer the issuer identifier (as published; equal to the one fetched for)
 * @param authorizationEndpoint may be empty for a machine-only server
 * @param tokenEndpoint the token endpoint
 * @param registrationEndpoint the RFC 7591 endpoint, if any
 * @param scopesSupported {@code scopes_supported}
 * @param grantTypesSupported {@code grant_types_supported}
 * @param authMethodsSupported {@code token_endpoint_auth_methods_supported}
 * @param pkceMethods {@code code_challenge_methods_supported}, empty when absent
 * @param clientIdMetadataDocumentSupported {@code client_id_metadata_document_supported}
 * @param issParameterSupported {@code authorization_response_iss_parameter_supported} (RFC 9207)
 * @param published false for the 2025-03-26 fallback endpoints
 */
public record ServerMetadata(String issuer, Optional<URI> authorizationEndpoint, URI tokenEndpoint,
        Optional<URI> registrationEndpoint, List<String> scopesSupported, List<String> grantTypesSupported,
        List<String> authMethodsSupported, Optional<List<String>> pkceMethods,
        boolean clientIdMetadataDocumentSupported, boolean issParameterSupported, boolean published) {

    static ServerMetadata parse(JsonNode doc, String issuer) {
        URI token = Urls.absolute(Discovery.text(doc, "token_endpoint").orElseThrow(
                () -> new ClientAuthorizationException("authorization server metadata of " + issuer
                        + " has no token_endpoint")), "token_endpoint");
        Optional<URI> authz = Discovery.text(doc, "authorization_endpoint")
                .map(v -> Urls.absolute(v, "authorization_endpoint"));
        Optional<URI> reg = Discovery.text(doc, "registration_endpoint")
                .map(v -> Urls.absolute(v, "registration_endpoint"));
        Optional<List<String>> pkce = doc.has("code_challenge_methods_supported")
                ? Optional.of(Discovery.strings(doc, "code_challenge_methods_supported")) : Optional.empty();
        return new ServerMetadata(issuer, authz, token, reg, Discovery.strings(doc, "scopes_supported"),
                Discovery.strings(doc, "grant_types_supported"),
                Discovery.strings(doc, "token_endpoint_auth_methods_supported"), pkce,
                doc.path("client_id_metadata_document_supported").asBoolean(false),
                doc.path("authorization_response_iss_parameter_supported").asBoolean(false), true);
    }

    /** The 2025-03-26 defaults: {@code /authorize}, {@code /token}, {@code /register} on the origin. */
    static ServerMetadata fallback(URI origin) {
        return new ServerMetadata(origin.toString(), Optional.of(URI.create(origin + "/authorize")),
                URI.create(origin + "/token"), Optional.of(URI.create(origin + "/register")), List.of(), List.of(),
                List.of(), Optional.empty(), false, false, false);
    }
}
