package io.github.mcpoauth.core.resource;

/**
 * Whether a token that verified cryptographically is still in force: the same-application revocation check.
 *
 * <p>{@link AccessTokenVerifier} consults it on every verification, cached or not, so a revoked grant is refused
 * on the next request (RFC 9700 §4.14.2, RFC 7009 §2). Keep it quick: it runs on the request thread. An
 * exception it throws is not an authorization: the request fails with 503 {@code temporarily_unavailable}.
 *
 * <p>An authorization server in the same application implements it: {@code AuthorizationServer.revocationCheck()}
 * (the token's grant must still be live). This package knows nothing of the authorization server's stores, so a
 * resource server whose tokens come from another authorization server needs none of them.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
@FunctionalInterface
public interface RevocationCheck {

    /** Whether the token that produced {@code principal} may still be used. */
    boolean isActive(AccessTokenPrincipal principal);

    /** No check: every token that verifies is active until it expires (the default). */
    static RevocationCheck none() {
        return p -> true;
    }
}
