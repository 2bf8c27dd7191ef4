package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a resource owner granted a client: the family every access and refresh token of one authorization belongs
 * to. Revoking the grant revokes every token of the family (RFC 9700 §4.14.2).
 *
 * @param grantId the grant's id (not a secret; it travels in access tokens as the {@code gid} claim)
 * @param clientId the client
 * @param subject the resource owner
 * @param scopes the granted scopes
 * @param resources the resources (RFC 8707) tokens of this grant are bound to
 * @param createdAt when the grant was made (the code was redeemed)
 * @param refreshTokenHash the hash of the current refresh token, empty if none was issued
 * @param expiresAt when the grant ends unless refreshed: the later of its current refresh token's expiry and its
 *     last access token's; a store may forget the grant (and its refresh token hashes) after this
 * @param revoked whether the grant was revoked
 * @param refreshTokenJkt the JWK SHA-256 thumbprint (RFC 7638) of the DPoP key a public client's refresh tokens
 *     of this grant are bound to (RFC 9449 §5); empty if they are not bound (a confidential client, or no proof)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-5">RFC 9449 §5</a>
 */
public record Grant(
        String grantId,
        ClientID clientId,
        String subject,
        Set<String> scopes,
        List<URI> resources,
        Instant createdAt,
        Optional<String> refreshTokenHash,
        Instant expiresAt,
        boolean revoked,
        Optional<String> refreshTokenJkt) {

    /** Checks the invariants and makes the collections unmodifiable. */
    public Grant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(refreshTokenJkt, "refreshTokenJkt");
    }

    /** A grant whose refresh tokens are not bound to a DPoP key. */
    public Grant(String grantId, ClientID clientId, String subject, Set<String> scopes, List<URI> resources,
            Instant createdAt, Optional<String> refreshTokenHash, Instant expiresAt, boolean revoked) {
        this(grantId, clientId, subject, scopes, resources, createdAt, refreshTokenHash, expiresAt, revoked,
                Optional.empty());
    }

    /** This grant with another current refresh token and expiry. */
    public Grant withRefreshToken(String newHash, Instant newExpiresAt) {
        return new Grant(grantId, clientId, subject, scopes, resources, createdAt, Optional.of(newHash),
                newExpiresAt, revoked, refreshTokenJkt);
    }

    /** This grant, revoked. */
    public Grant asRevoked() {
        return new Grant(grantId, clientId, subject, scopes, resources, createdAt, refreshTokenHash, expiresAt,
                true, refreshTokenJkt);
    }

    @Override
    public String toString() {
        return "Grant[grantId=" + grantId + ", clientId=" + clientId + ", subject=" + subject + ", scopes=" + scopes
                + ", resources=" + resources + ", createdAt=" + createdAt + ", revoked=" + revoked
                + ", refreshTokenJkt=" + refreshTokenJkt + "]";
    }
}
