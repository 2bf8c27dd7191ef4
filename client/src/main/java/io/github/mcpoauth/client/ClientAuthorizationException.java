package io.github.mcpoauth.client;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one exception the client throws when it cannot authorize: a discovery document for another issuer or
 * resource, a redirect to another host, an oversized, malformed or slow response, a {@code state} or {@code iss}
 * mismatch (RFC 9207), an OAuth error from the authorization server, or too many step-up attempts.
 *
 * <p>When a token endpoint answered, {@link #httpStatus()} and {@link #oauthError()} tell a refused grant (400
 * {@code invalid_grant}, <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>) from a
 * passing failure (a timeout, a 5xx) after which stored tokens are still good. The message names what was wrong; it
 * never contains a token, code or secret.
 */
public final class ClientAuthorizationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    /**
     * @param message what was wrong, without secrets
     */
    public ClientAuthorizationException(String message) {
        this(message, null);
    }

    /**
     * @param message what was wrong, without secrets
     * @param cause the underlying failure
     */
    public ClientAuthorizationException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.error = null;
    }

    /** An error answer of an authorization server endpoint: its status and OAuth {@code error} code (or null). */
    ClientAuthorizationException(String message, int status, String error) {
        super(message);
        this.status = status;
        this.error = error == null || error.isEmpty() ? null : error;
    }

    /** @return the HTTP status of the endpoint's error answer; empty when no answer came (timeout, I/O, checks) */
    public OptionalInt httpStatus() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** @return the OAuth {@code error} code of the endpoint's error answer, e.g. {@code invalid_grant} */
    public Optional<String> oauthError() {
        return Optional.ofNullable(error);
    }
}
