package io.github.mcpoauth.servlet.testing;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import io.github.mcpoauth.servlet.McpOAuth;

/**
 * What tests read of an access token the server issued, whatever its form: a compact same-app token (no JWT) or a
 * signed JWT. Read as the server reads it (MAC or signature checked), never parsed around it.
 */
public final class AccessTokenClaims {

    private AccessTokenClaims() {
    }

    /** The claims of {@code token} as {@code oauth}'s authorization server reads them; fails if it does not. */
    public static JWTClaimsSet of(McpOAuth oauth, String token) {
        return oauth.server().accessTokens().read(token, oauth.server().settings().clock().instant())
                .orElseThrow(() -> new AssertionError("not an access token of this server"));
    }

    /** Whether {@code token} is a compact same-app token (one dot) rather than a JWT (two). */
    public static boolean isCompact(String token) {
        return CompactTokens.isCompact(token);
    }

    /** The signing key {@code token} was MAC'd under, as its tag (a compact token names no {@code kid}). */
    public static String keyTag(String token) {
        return CompactTokens.keyTag(token).orElseThrow(() -> new AssertionError("not a compact token"));
    }

    /** The tag a compact token names the key {@code kid} by. */
    public static String tagOf(String kid) {
        return MacKeys.tag(kid);
    }
}
