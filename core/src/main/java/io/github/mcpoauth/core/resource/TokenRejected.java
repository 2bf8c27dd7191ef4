package io.github.mcpoauth.core.resource;

/**
 * Why a token was refused, for the log only: the client always gets the same {@code invalid_token}. The reason
 * is a fixed text or a library message, never the token. No stack trace: this is control flow.
 */
final class TokenRejected extends Exception {

    private static final long serialVersionUID = 1L;

    TokenRejected(String reason) {
        super(reason, null, false, false);
    }
}
