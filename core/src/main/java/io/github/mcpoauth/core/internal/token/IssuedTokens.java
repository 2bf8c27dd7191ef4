package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import java.time.Instant;
import java.util.Optional;

/** Finds the grant behind a presented token value, access token (JWT) or refresh token (opaque). */
final class IssuedTokens {

    /** What a token value turned out to be. */
    record Found(Grant grant, Optional<JWTClaimsSet> accessToken, boolean currentRefreshToken) {
    }

    private final Stores stores;
    private final AccessTokens accessTokens;

    IssuedTokens(Stores stores, AccessTokens accessTokens) {
        this.stores = stores;
        this.accessTokens = accessTokens;
    }

    Optional<Grant> grantOf(String token, Instant now) {
        return find(token, now).map(Found::grant);
    }

    Optional<Found> find(String token, Instant now) {
        if (token == null || token.isEmpty() || token.length() > AccessTokens.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Optional<JWTClaimsSet> claims = accessTokens.read(token, now);
        if (claims.isPresent()) {
            String grantId = (String) claims.get().getClaim(AccessTokens.GRANT_ID_CLAIM);
            return stores.grants().findById(grantId).map(g -> new Found(g, claims, false));
        }
        String hash = Secrets.hash(token);
        return stores.grants().findByRefreshToken(RefreshTokens.grantIdOf(token), hash).map(g -> new Found(g,
                Optional.empty(), g.refreshTokenHash().map(h -> Secrets.constantTimeEquals(h, hash)).orElse(false)));
    }
}
