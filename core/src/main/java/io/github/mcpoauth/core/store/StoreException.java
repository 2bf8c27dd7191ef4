package io.github.mcpoauth.core.store;

import io.github.mcpoauth.core.internal.error.ErrorResponses;

/**
 * A store could not do what was asked: the one unchecked exception the bundled stores throw for a storage
 * failure (never for "not found", which is an empty {@link java.util.Optional} or {@code false}).
 *
 * <p>{@link #isUnavailable()} tells a transient outage (the database is unreachable, a connection broke, a query
 * ran past its timeout, the server is shutting down or overloaded) from any other failure. A host answers the
 * first with {@code 503 Service Unavailable} and a {@code Retry-After} header (RFC 9110 §15.6.4), or
 * {@code temporarily_unavailable} at the authorization endpoint (RFC 6749 §4.1.2.1); the second with
 * {@code 500} / {@code server_error}. Either way the store changed nothing: a failed operation is rolled back.
 *
 * <p>The message names the operation and the failure class, never a secret, token, code or hash; the cause
 * chain is scrubbed of database messages that could quote a stored value.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4">RFC 9110 §15.6.4 (503)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1</a>
 */
public final class StoreException extends RuntimeException implements ErrorResponses.Unavailable {

    private static final long serialVersionUID = 1L;

    private final boolean unavailable;

    private StoreException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** The store is unavailable for now (unreachable, timed out, overloaded); the request may be retried later. */
    public static StoreException unavailable(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    /** The store failed in a way a retry will not fix (a constraint, a broken schema, a bug). */
    public static StoreException failed(String message, Throwable cause) {
        return new StoreException(message, cause, false);
    }

    /** Whether the failure is a transient outage (answer 503) rather than any other failure (answer 500). */
    public boolean isUnavailable() {
        return unavailable;
    }
}
