package io.github.mcpoauth.core.resource;

/** One way of validating a token: JWT signature and claims, or introspection. */
interface TokenValidator {

    /**
     * Validates {@code token} for the resource.
     *
     * @throws TokenRejected if the token is not valid for this resource
     * @throws io.github.mcpoauth.core.error.OAuthException {@code temporarily_unavailable} if validation could not
     *     be done (keys or introspection endpoint unreachable)
     */
    AccessTokenPrincipal validate(String token) throws TokenRejected;
}
