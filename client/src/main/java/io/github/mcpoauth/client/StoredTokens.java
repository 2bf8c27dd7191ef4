package io.github.mcpoauth.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tokens held for one MCP server. {@link #toString()} never shows a token.
 *
 * @param issuer the authorization server that issued them (tokens are never sent to another one's endpoints)
 * @param tokenType {@code Bearer}, or {@code DPoP} for a sender-constrained token (RFC 9449)
 * @param accessToken the access token
 * @param refreshToken the refresh token, empty if none was issued
 * @param expiresAt when the access token expires, empty if the server did not say
 * @param scopes the granted scopes (or the requested ones when the response did not list them)
 */
public record StoredTokens(String issuer, String tokenType, String accessToken, Optional<String> refreshToken,
        Optional<Instant> expiresAt, Set<String> scopes) {

    /** Validates and copies. */
    public StoredTokens {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    @Override
    public String toString() {
        return "StoredTokens[issuer=" + issuer + ", tokenType=" + tokenType
                + ", refreshToken=" + (refreshToken.isPresent() ? "present" : "none")
                + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("unknown") + ", scopes=" + scopes + "]";
    }
}
