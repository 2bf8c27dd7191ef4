package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.internal.crypto.Secrets;

/**
 * The format of the refresh tokens the server issues: {@code <grant id>.<secret>}, the secret 256 random bits
 * (base64url, 43 characters). The grant id is no secret (access tokens carry it as their {@code gid} claim); it
 * lets a grant store look a presented token up in that grant's own history, with no index by hash (see {@link
 * io.github.mcpoauth.core.store.GrantStore#findByRefreshToken}). The stored hash is always the hash of the whole
 * token, so a token whose grant id part is changed matches no hash at all.
 */
final class RefreshTokens {

    private static final char SEPARATOR = '.';

    private RefreshTokens() {
    }

    /** A new refresh token of grant {@code grantId}. */
    static String issue(Secrets secrets, String grantId) {
        return grantId + SEPARATOR + secrets.newSecret();
    }

    /**
     * The grant id {@code token} names: what precedes its last {@code '.'}, if both that and what follows are not
     * empty; else {@code null} (a token issued before refresh tokens named their grant, which a persistent store
     * still finds by its hash alone).
     */
    static String grantIdOf(String token) {
        int dot = token.lastIndexOf(SEPARATOR);
        return dot <= 0 || dot == token.length() - 1 ? null : token.substring(0, dot);
    }
}
