package io.github.mcpoauth.core.internal.token;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a grant handler decided to issue: one access token with its scopes, and a refresh token when the
 * grant has one. {@link TokenResponses} turns it into the token response.
 *
 * @param accessToken the access token: a signed JWT (RFC 9068) or a compact same-app token
 *     ({@link io.github.mcpoauth.core.internal.resource.CompactTokens})
 * @param scopes the scopes the access token carries, listed in the response
 * @param refreshToken the new refresh token, empty if none is issued
 * @param confirmation the {@code cnf.jkt} the access token is bound to; the response's {@code token_type} is
 *     {@code DPoP} when present (RFC 9449 §5), {@code Bearer} otherwise
 */
public record TokenResult(String accessToken, Set<String> scopes, Optional<String> refreshToken,
        Optional<String> confirmation) {

    /** Checks for nulls and copies the scopes. */
    public TokenResult {
        Objects.requireNonNull(accessToken, "accessToken");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(confirmation, "confirmation");
    }

    @Override
    public String toString() {
        return "TokenResult[scopes=" + scopes + ", refreshToken=" + refreshToken.isPresent() + "]";
    }
}
