package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Optional;

/**
 * DPoP binding of public clients' refresh tokens (RFC 9449 §5): a public client that obtains a refresh token with a
 * DPoP proof gets it bound to the proof key's JWK SHA-256 thumbprint, recorded with the grant; every later refresh
 * of the grant must carry a valid proof of that same key. Confidential clients' refresh tokens stay unbound: they
 * are already bound to the client's own authentication.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-5">RFC 9449 §5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-8">RFC 9449 §8</a>
 */
final class RefreshTokenBinding {

    private RefreshTokenBinding() {
    }

    /**
     * The thumbprint to bind a new grant's refresh tokens to: the proof's for a public client issued a refresh
     * token with a DPoP proof, else empty.
     */
    static Optional<String> bindOnIssue(RegisteredClient client, boolean withRefresh, Optional<String> confirmation) {
        return withRefresh && !client.isConfidential() ? confirmation : Optional.empty();
    }

    /**
     * Refuses a refresh of a bound grant whose request carries no DPoP proof, or one of another key, with
     * {@code invalid_grant}; an unbound grant passes.
     */
    static void check(Grant grant, Optional<String> confirmation) {
        Optional<String> bound = grant.refreshTokenJkt();
        if (bound.isEmpty()) {
            return;
        }
        if (confirmation.isEmpty()) {
            throw OAuthException.invalidGrant("The refresh token is bound to a DPoP key: a DPoP proof is required");
        }
        if (!Secrets.constantTimeEquals(bound.get(), confirmation.get())) {
            throw OAuthException.invalidGrant("The DPoP proof's key is not the key the refresh token is bound to");
        }
    }
}
