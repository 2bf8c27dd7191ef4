package io.github.mcpoauth.core.internal.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import io.github.mcpoauth.core.error.OAuthException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONArray;

/**
 * The client metadata rules that dynamic registration ({@link RegistrationHandler}) and client ID metadata
 * documents share, kept in one place so that the two ways a client comes to exist cannot drift apart. Every
 * rule covers each {@code #<language>} variant of a field as well as the plain one (RFC 7591 §2.2).
 *
 * <p>Failures are {@link OAuthException}s with the registration error codes ({@code invalid_redirect_uri},
 * {@code invalid_client_metadata}) and fixed descriptions naming the field; a caller with other error codes
 * wraps them.
 */
public final class ClientMetadataRules {

    private ClientMetadataRules() {
    }

    /**
     * The {@code redirect_uris} member, as raw JSON: a non-empty array of at most
     * {@link RegistrationHandler#MAX_REDIRECT_URIS} strings, each {@linkplain RedirectUris#checkRegistrable
     * registrable}.
     *
     * @return the URIs in order, each once
     * @throws OAuthException {@code invalid_redirect_uri} saying what is wrong
     */
    public static List<URI> redirectUris(Object value) {
        if (!(value instanceof JSONArray array) || array.isEmpty()) {
            throw OAuthException.invalidRedirectUri("redirect_uris must be a non-empty array");
        }
        if (array.size() > RegistrationHandler.MAX_REDIRECT_URIS) {
            throw OAuthException.invalidRedirectUri("At most " + RegistrationHandler.MAX_REDIRECT_URIS
                    + " redirect_uris are allowed");
        }
        List<URI> uris = new ArrayList<>();
        for (Object o : array) {
            if (!(o instanceof String s)) {
                throw OAuthException.invalidRedirectUri("Every redirect URI must be a string");
            }
            URI uri = RedirectUris.checkRegistrable(s);
            if (!uris.contains(uri)) {
                uris.add(uri);
            }
        }
        return uris;
    }

    /**
     * Checks that {@code client_uri}, {@code logo_uri}, {@code tos_uri} and {@code policy_uri}, and each of their
     * language-tagged variants, are https URLs with a host. Nothing is fetched.
     *
     * @throws OAuthException {@code invalid_client_metadata} naming the field
     */
    public static void requireHttpsUris(ClientMetadata metadata) {
        requireHttps("client_uri", metadata.getURIEntries().values());
        requireHttps("logo_uri", metadata.getLogoURIEntries().values());
        requireHttps("tos_uri", metadata.getTermsOfServiceURIEntries().values());
        requireHttps("policy_uri", metadata.getPolicyURIEntries().values());
    }

    /**
     * Checks every {@code client_name}, the plain one and each language-tagged one: 1 to
     * {@link RegistrationHandler#MAX_CLIENT_NAME} characters, not blank.
     *
     * @param required whether the plain {@code client_name} must be present
     * @return the plain {@code client_name}, if any
     * @throws OAuthException {@code invalid_client_metadata} naming {@code client_name}
     */
    public static Optional<String> clientName(ClientMetadata metadata, boolean required) {
        String rule = "client_name " + (required ? "is required," : "must be") + " 1 to "
                + RegistrationHandler.MAX_CLIENT_NAME + " characters";
        if (required && metadata.getName() == null) {
            throw OAuthException.invalidClientMetadata(rule);
        }
        for (String name : metadata.getNameEntries().values()) {
            if (name == null || name.isBlank() || name.length() > RegistrationHandler.MAX_CLIENT_NAME) {
                throw OAuthException.invalidClientMetadata(rule);
            }
        }
        return Optional.ofNullable(metadata.getName());
    }

    /**
     * The requested scopes the server knows, in the order requested; unknown ones are dropped, not refused. Empty
     * when none are requested.
     */
    public static Set<String> knownScopes(ClientMetadata metadata, Set<String> serverScopes) {
        Set<String> scopes = new LinkedHashSet<>();
        if (metadata.getScope() != null) {
            metadata.getScope().toStringList().stream().filter(serverScopes::contains).forEach(scopes::add);
        }
        return scopes;
    }

    /**
     * Checks the keys of a {@code private_key_jwt} client: exactly one of {@code jwks} (public keys only, at least
     * one) and {@code jwks_uri} (an https URL with a host and a path, no query, fragment or user info: the keys are
     * fetched from it when the client authenticates), as RFC 7591 §2 asks. {@code jwks_uri} is refused when
     * {@code jwksUriAllowed} is false (the server has nothing to fetch it with).
     *
     * @throws OAuthException {@code invalid_client_metadata} naming the field
     */
    public static void publicKeys(ClientMetadata metadata, boolean jwksUriAllowed) {
        JWKSet jwks = metadata.getJWKSet();
        URI uri = metadata.getJWKSetURI();
        if ((jwks == null) == (uri == null)) {
            throw OAuthException.invalidClientMetadata("private_key_jwt needs exactly one of jwks and jwks_uri");
        }
        if (jwks != null && (jwks.getKeys().isEmpty() || jwks.getKeys().stream().anyMatch(JWK::isPrivate))) {
            throw OAuthException.invalidClientMetadata("jwks must hold public keys, and only public keys");
        }
        if (uri != null && !jwksUriAllowed) {
            throw OAuthException.invalidClientMetadata("jwks_uri is not supported by this server: send jwks");
        }
        if (uri != null && (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getRawPath() == null
                || !uri.getRawPath().startsWith("/") || uri.toString().length() > 512)) {
            throw OAuthException.invalidClientMetadata("jwks_uri must be an https URL with a path, no query");
        }
    }

    private static void requireHttps(String field, Collection<URI> uris) {
        for (URI uri : uris) {
            if (uri != null && (uri.getScheme() == null
                    || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https") || uri.getHost() == null)) {
                throw OAuthException.invalidClientMetadata(field + " must be an https URL");
            }
        }
    }
}
