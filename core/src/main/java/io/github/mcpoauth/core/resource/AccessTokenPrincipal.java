package io.github.mcpoauth.core.resource;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified access token speaks for and what it allows: the typed, immutable result of
 * {@link AccessTokenVerifier#verify(String)}. Holds identifiers and claims only, never the token itself.
 *
 * <p>As a {@link Principal} its name is the subject, so a servlet container or framework can treat it as the
 * authenticated user.
 *
 * @param subject the resource owner ({@code sub}, RFC 9068 §2.2)
 * @param clientId the client the token was issued to ({@code client_id}, RFC 9068 §2.2)
 * @param scopes the granted scopes ({@code scope}, RFC 9068 §2.2.3), in token order; may be empty
 * @param audience the audiences ({@code aud}); contains this resource's canonical URI
 * @param issuer the authorization server that issued it ({@code iss}), one of the trusted ones
 * @param expiresAt when it expires ({@code exp}); for an introspected token without {@code exp}, when the
 *     introspection result stops being trusted
 * @param issuedAt when it was issued ({@code iat}), if known
 * @param jwtId its identifier ({@code jti}), if known
 * @param grantId the grant (token family) it belongs to ({@code gid}), if the issuer sets one
 * @param jkt the SHA-256 thumbprint of the key the token is bound to ({@code cnf.jkt}, RFC 9449 §6), if it is a
 *     DPoP-bound token
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2</a>
 */
public record AccessTokenPrincipal(
        String subject,
        String clientId,
        Set<String> scopes,
        List<String> audience,
        URI issuer,
        Instant expiresAt,
        Optional<Instant> issuedAt,
        Optional<String> jwtId,
        Optional<String> grantId,
        Optional<String> jkt) implements Principal {

    /** A principal of a token bound to no key. */
    public AccessTokenPrincipal(String subject, String clientId, Set<String> scopes, List<String> audience,
            URI issuer, Instant expiresAt, Optional<Instant> issuedAt, Optional<String> jwtId,
            Optional<String> grantId) {
        this(subject, clientId, scopes, audience, issuer, expiresAt, issuedAt, jwtId, grantId, Optional.empty());
    }

    /** Checks the invariants and makes the collections unmodifiable (scopes keep their order). */
    public AccessTokenPrincipal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(scopes, "scopes")));
        audience = List.copyOf(Objects.requireNonNull(audience, "audience"));
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(jwtId, "jwtId");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(jkt, "jkt");
    }

    /** The subject: this principal's name. */
    @Override
    public String getName() {
        return subject;
    }

    /** Whether the token grants {@code scope}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Whether the token grants every one of {@code required}. */
    public boolean hasScopes(Collection<String> required) {
        return scopes.containsAll(required);
    }
}
