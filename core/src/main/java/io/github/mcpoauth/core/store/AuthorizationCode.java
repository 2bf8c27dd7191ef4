package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An issued authorization code, held by the hash of its value.
 *
 * @param codeHash the hash of the code ({@link io.github.mcpoauth.core.internal.crypto.Secrets#hash})
 * @param clientId the client the code was issued to
 * @param subject the resource owner who authorized it
 * @param redirectUri the {@code redirect_uri} of the authorization request, empty if the request had none (then
 *     the token request must not send one, RFC 6749 §4.1.3)
 * @param scopes the scopes granted
 * @param resources the resources (RFC 8707) the tokens will be bound to
 * @param codeChallenge the S256 PKCE challenge (RFC 7636 §4.2)
 * @param grantId the id the grant will have when the code is redeemed; lets a replay revoke what it issued
 * @param issuedAt when the code was issued
 * @param expiresAt when it stops being redeemable
 * @param consumed whether it was redeemed already
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public record AuthorizationCode(
        String codeHash,
        ClientID clientId,
        String subject,
        Optional<URI> redirectUri,
        Set<String> scopes,
        List<URI> resources,
        String codeChallenge,
        String grantId,
        Instant issuedAt,
        Instant expiresAt,
        boolean consumed) {

    /** Checks the invariants and makes the collections unmodifiable. */
    public AuthorizationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "AuthorizationCode[clientId=" + clientId + ", subject=" + subject + ", redirectUri="
                + redirectUri.map(URI::toString).orElse("-") + ", scopes=" + scopes + ", resources=" + resources
                + ", grantId=" + grantId + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", consumed="
                + consumed + "]";
    }

    /** This code, marked as redeemed. */
    public AuthorizationCode asConsumed() {
        return new AuthorizationCode(codeHash, clientId, subject, redirectUri, scopes, resources, codeChallenge,
                grantId, issuedAt, expiresAt, true);
    }
}
