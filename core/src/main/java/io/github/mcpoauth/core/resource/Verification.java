package io.github.mcpoauth.core.resource;

import java.util.Objects;

/**
 * The outcome of {@link AccessTokenVerifier#check(String)}: verified, refused, or not checkable now. For hosts
 * that act on the outcome rather than only answer it, e.g. a guard that throttles an address sending many
 * refused tokens: a {@link Refused} is a bad token (answer 401 {@code invalid_token}, RFC 6750 §3.1), an
 * {@link Unavailable} is the verifier's own trouble (keys, introspection or revocation check unreachable: answer
 * 503 with {@code Retry-After}, and never count it against the client).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
sealed interface Verification {

    /**
     * The token is authentic, meant for this resource, within its lifetime and not revoked.
     *
     * @param principal who the token speaks for
     */
    record Verified(AccessTokenPrincipal principal) implements Verification {

        /** Checks the principal is present. */
        public Verified {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /**
     * The token was refused.
     *
     * @param remembered whether the same token was refused moments ago and this answer came from memory, with no
     *     parsing or cryptography: a client presenting it again is replaying a bad token
     */
    record Refused(boolean remembered) implements Verification {
    }

    /** The token could not be checked now; it may be valid. The client should retry later with the same token. */
    record Unavailable() implements Verification {
    }
}
