package io.github.mcpoauth.servlet.internal.login;

import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One upstream OpenID provider as configured (validated by {@code OpenIdLogin.Provider.Builder}).
 *
 * @param id a short, stable id (in URLs and the session)
 * @param displayName the name on the chooser page ("Sign in with …")
 * @param discovery the provider's {@code /.well-known/openid-configuration} URL
 * @param issuer the issuer the discovery document must name: the discovery URL without the well-known suffix
 * @param clientId this app's client id at the provider
 * @param clientSecret the client secret ({@code client_secret_basic}), if that is how the app authenticates
 * @param signingKey the private key for {@code private_key_jwt} (RFC 7523), if that is how it authenticates
 * @param scopes the scopes asked for, {@code openid} first
 * @param subjectClaim the ID token claim whose value becomes the user's subject
 * @param allowedDomains e-mail domains (or Google's {@code hd}) allowed in; empty for any
 * @param groupsClaim the claim listing the user's groups
 * @param allowedGroups groups of which the user must be in one; empty for any
 * @param timeout the connect and read timeout of every request to the provider
 * @param maxDocumentBytes the largest discovery document or JWK Set read
 */
public record UpstreamSettings(String id, String displayName, URI discovery, URI issuer, String clientId,
        Optional<String> clientSecret, Optional<JWK> signingKey, List<String> scopes, String subjectClaim,
        Set<String> allowedDomains, String groupsClaim, Set<String> allowedGroups, Duration timeout,
        int maxDocumentBytes) {

    /** Copies the collections. */
    public UpstreamSettings {
        Objects.requireNonNull(id, "id");
        scopes = List.copyOf(scopes);
        allowedDomains = Set.copyOf(allowedDomains);
        allowedGroups = Set.copyOf(allowedGroups);
    }

    @Override
    public String toString() {
        return "UpstreamSettings[" + id + ", " + issuer + ", client " + clientId + "]";
    }
}
