package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.servlet.McpResourceServer.LegacyTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The guard's second chance for a bearer token that is not ours (issue 10, item 3): asks the app's
 * {@link LegacyTokens} about a token the verifier refused as {@code invalid_token} and that does not have the shape
 * of a JWT. Every other refusal stands as it was, so an unknown token still gets the OAuth challenge.
 */
final class LegacyFallback {

    private static final System.Logger LOG = System.getLogger(LegacyFallback.class.getName());

    private final LegacyTokens tokens;

    LegacyFallback(LegacyTokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "legacyTokens");
    }

    /**
     * The legacy caller {@code token} speaks for, asked only after the verifier refused it with {@code refusal};
     * otherwise {@code refusal} itself is thrown.
     */
    LegacyTokens.Caller validate(String token, OAuthException refusal) {
        if (!BearerTokenError.INVALID_TOKEN.getCode().equals(refusal.error().getCode()) || looksLikeJwt(token)) {
            throw refusal;
        }
        Optional<LegacyTokens.Caller> caller;
        try {
            caller = tokens.validate(token);
        } catch (RuntimeException e) {
            // the app's hook failed: the token is refused like any unknown one; never log the token
            LOG.log(System.Logger.Level.WARNING, "legacy token validator failed: {0}", e.getClass().getName());
            throw refusal;
        }
        if (caller == null || caller.isEmpty()) {
            throw refusal;
        }
        return caller.get();
    }

    /** 403 {@code insufficient_scope} naming every scope needed unless {@code caller} holds them all. */
    static void requireScopes(LegacyTokens.Caller caller, Set<String> needed) {
        if (!caller.scopes().containsAll(needed)) {
            throw BearerErrors.insufficientScope(needed);
        }
    }

    /**
     * Whether {@code token} has the compact form of a JWS (three parts) or JWE (five parts) whose first part is a
     * base64url-encoded JSON object: such a token is an access token of some authorization server, never an app's
     * legacy token.
     */
    static boolean looksLikeJwt(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots != 2 && dots != 4) {
            return false;
        }
        String header = token.substring(0, token.indexOf('.'));
        try {
            String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8).strip();
            return json.startsWith("{");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
