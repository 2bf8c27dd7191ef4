package io.github.mcpoauth.core.internal.resource;

import com.nimbusds.jose.KeySourceException;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.internal.error.Printable;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.error.OAuthException;
import java.util.Collection;

/**
 * The errors of a protected resource (RFC 6750 §3.1), as {@link OAuthException}s carrying a Nimbus
 * {@link BearerTokenError} with its HTTP status. Descriptions are fixed and generic: why a token was refused is
 * logged, never told to the client.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
public final class BearerErrors {

    /** The one description of every refused token, whatever the reason. */
    public static final String INVALID_TOKEN_DESCRIPTION = "The access token is invalid";

    private BearerErrors() {
    }

    /** 401 with no error code: the request carried no token (RFC 6750 §3.1, last paragraph). */
    public static OAuthException missingToken() {
        return new OAuthException(BearerTokenError.MISSING_TOKEN);
    }

    /** 401 {@code invalid_token}, with the generic description. */
    public static OAuthException invalidToken() {
        return new OAuthException(BearerTokenError.INVALID_TOKEN.setDescription(INVALID_TOKEN_DESCRIPTION));
    }

    /** {@link #invalidToken()}, the reason (never the token) logged on {@code log} at DEBUG. */
    public static OAuthException invalidToken(System.Logger log, String reason) {
        if (log.isLoggable(System.Logger.Level.DEBUG)) {
            log.log(System.Logger.Level.DEBUG, "access token refused: {0}",
                    reason == null ? "-" : Printable.ascii(reason, 200));
        }
        return invalidToken();
    }

    /** 400 {@code invalid_request} with {@code description} (a fixed text, never request content). */
    public static OAuthException invalidRequest(String description) {
        return new OAuthException(BearerTokenError.INVALID_REQUEST.setDescription(description));
    }

    /**
     * 403 {@code insufficient_scope}, naming every scope the operation needs (not only the missing ones), so a
     * client can step up in one authorization request (RFC 6750 §3.1, MCP authorization "scope challenge").
     */
    public static OAuthException insufficientScope(Collection<String> needed) {
        return new OAuthException(BearerTokenError.INSUFFICIENT_SCOPE
                .setDescription("The access token does not grant the scopes this request needs")
                .setScope(needed.isEmpty() ? null : Scope.parse(String.join(" ", needed))));
    }

    /**
     * {@link #temporarilyUnavailable()} for a failure of the revocation check ({@code RevocationCheck.isActive}, or
     * {@code grantClaims} for a reference token): its store or a host's check cannot answer now, and a token is
     * never refused for that. Logged on {@code log} at WARNING.
     */
    public static OAuthException revocationCheckFailed(System.Logger log, RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "revocation check failed; refusing the request for now", e);
        return temporarilyUnavailable();
    }

    /** 503 {@code temporarily_unavailable}: the keys, the introspection endpoint or the revocation check failed. */
    public static OAuthException temporarilyUnavailable() {
        return OAuthException.of(OAuth2Error.TEMPORARILY_UNAVAILABLE,
                "The access token cannot be verified right now");
    }

    /**
     * Whether {@code e} is, or was caused by, a store or key source reporting a failure of its own: the token may
     * well be valid, so the answer is 503, never 401.
     */
    public static boolean cannotCheckNow(Throwable e) {
        if (ErrorResponses.isUnavailable(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KeySourceException) {
                return true;
            }
        }
        return false;
    }
}
