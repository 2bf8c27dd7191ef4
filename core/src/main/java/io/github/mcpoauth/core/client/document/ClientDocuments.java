package io.github.mcpoauth.core.client.document;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.mcpoauth.core.internal.client.ClientMetadataRules;
import io.github.mcpoauth.core.internal.client.RegistrationHandler;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONObject;

/**
 * Turns a fetched client ID metadata document into a {@link RegisteredClient}, under the same policy as dynamic
 * registration where the two meet ({@link RegistrationHandler}) and the draft's rules where they differ:
 *
 * <ul>
 *   <li>{@code client_id} must equal the URL it was fetched from, character for character;
 *   <li>{@code client_name} and {@code redirect_uris} are required (MCP 2025-11-25); redirect URIs, client names,
 *       informational URIs and scopes follow {@link ClientMetadataRules}, as for registration, in every
 *       language-tagged variant ({@code logo_uri#fr} as well as {@code logo_uri});
 *   <li>the client is public ({@code token_endpoint_auth_method} absent or {@code none}) or authenticates with
 *       {@code private_key_jwt} (RFC 7523 §2.2) with its public keys in the document's {@code jwks} or at its
 *       {@code jwks_uri} ({@link ClientMetadataRules#publicKeys}; fetched when the client authenticates, by
 *       {@link KeySetFetcher}). Shared-secret methods and {@code client_secret} are forbidden by the draft;
 *   <li>{@code jwks} must not hold private keys; {@code client_uri}, {@code logo_uri}, {@code tos_uri},
 *       {@code policy_uri} must be https; nothing else in the document is ever fetched;
 *   <li>grant types are those this server supports among the listed ones ({@code authorization_code}, default
 *       when absent, and {@code refresh_token}); others are ignored, since one document serves many servers, but
 *       {@code authorization_code} must be among them; {@code response_types}, if given, must include {@code code};
 *   <li>scopes are the listed ones the server knows; none listed means every scope, as for registration.
 * </ul>
 */
final class ClientDocuments {

    private static final Set<GrantType> SUPPORTED_GRANTS = Set.of(GrantType.AUTHORIZATION_CODE,
            GrantType.REFRESH_TOKEN);

    private final Set<String> serverScopes;

    ClientDocuments(Set<String> serverScopes) {
        this.serverScopes = Set.copyOf(serverScopes);
    }

    /**
     * The client the document at {@code url} describes.
     *
     * @throws OAuthException with the reason the document is refused
     */
    RegisteredClient toClient(ClientIdUrl url, String document, Instant now) {
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(document);
        } catch (ParseException | RuntimeException e) {
            throw Rejection.of("the document is not a JSON object");
        }
        if (!url.value().equals(json.get("client_id"))) {
            throw Rejection.of("the document's client_id is not exactly the URL it was fetched from");
        }
        if (json.containsKey("client_secret") || json.containsKey("client_secret_expires_at")) {
            throw Rejection.of("the document must not carry a client_secret");
        }
        Object method = json.get("token_endpoint_auth_method");
        boolean keyed = ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue().equals(method);
        if (method != null && !keyed && !ClientAuthenticationMethod.NONE.getValue().equals(method)) {
            throw Rejection.of("token_endpoint_auth_method must be none or private_key_jwt");
        }
        List<URI> redirectUris = redirectUris(json.get("redirect_uris"));
        ClientMetadata metadata;
        try {
            metadata = ClientMetadata.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw Rejection.of("the document is not valid client metadata");
        }

        if (metadata.getJWKSet() != null && metadata.getJWKSet().getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw Rejection.of("the document's jwks holds private key material");
        }
        try {
            if (keyed) {
                ClientMetadataRules.publicKeys(metadata, true);
            }
        } catch (OAuthException e) {
            throw Rejection.of(e.error().getDescription());
        }
        Set<GrantType> grantTypes = new LinkedHashSet<>();
        if (metadata.getGrantTypes() == null) {
            grantTypes.add(GrantType.AUTHORIZATION_CODE);
        } else {
            metadata.getGrantTypes().stream().filter(SUPPORTED_GRANTS::contains).forEach(grantTypes::add);
        }
        if (!grantTypes.contains(GrantType.AUTHORIZATION_CODE)) {
            throw Rejection.of("grant_types must include authorization_code");
        }
        if (metadata.getResponseTypes() != null && !metadata.getResponseTypes().contains(ResponseType.CODE)) {
            throw Rejection.of("response_types must include code");
        }
        Optional<String> name;
        try {
            name = ClientMetadataRules.clientName(metadata, true);
            ClientMetadataRules.requireHttpsUris(metadata);
        } catch (OAuthException e) {
            throw Rejection.of(e.error().getDescription());
        }
        Set<String> scopes = ClientMetadataRules.knownScopes(metadata, serverScopes);
        return new RegisteredClient(new ClientID(url.value()), Optional.empty(),
                keyed ? ClientAuthenticationMethod.PRIVATE_KEY_JWT : ClientAuthenticationMethod.NONE,
                redirectUris, grantTypes, scopes, name, json.toJSONString(), now);
    }

    private static List<URI> redirectUris(Object value) {
        try {
            return ClientMetadataRules.redirectUris(value);
        } catch (OAuthException e) {
            throw Rejection.of("redirect_uris are not acceptable: " + e.error().getDescription());
        }
    }
}
