package io.github.mcpoauth.client;

/**
 * The one exception the client throws when it cannot authorize: a discovery document for another issuer or
 * resource, a redirect to another host, an oversized, malformed or slow response, a {@code state} or {@code iss}
 * mismatch (RFC 9207), an OAuth error from the authorization server, or too many step-up attempts.
 *
 * <p>The message names what was wrong; it never contains a token, code or secret.
 */
public final class ClientAuthorizationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, without secrets
     */
    public ClientAuthorizationException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, without secrets
     * @param cause the underlying failure
     */
    public ClientAuthorizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
