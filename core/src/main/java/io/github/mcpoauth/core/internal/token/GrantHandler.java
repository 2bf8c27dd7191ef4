package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * One grant type of the token endpoint (RFC 6749 §4, RFC 7523 §2.1, …): it receives the request already parsed by
 * Nimbus into its typed grant ({@code G}) and the client already authenticated, decides, and returns the tokens to
 * issue; the {@link TokenEndpoint} writes them ({@link TokenResponses}). Adding a grant type adds a class
 * implementing this and one line registering it; the endpoint never inspects a grant's class. A handler throws
 * {@link io.github.mcpoauth.core.error.OAuthException} for every refusal and never falls back to another grant.
 *
 * @param <G> the Nimbus grant type this handler redeems
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4">RFC 6749 §4</a>
 */
public interface GrantHandler<G extends AuthorizationGrant> {

    /** The {@code grant_type} value this handler serves. */
    GrantType grantType();

    /** The Nimbus class {@code TokenRequest.parse} produces for {@link #grantType()}. */
    Class<G> grantClass();

    /** Decides the request: the tokens to issue, or an {@code OAuthException}. */
    TokenResult handle(G grant, TokenContext context);
}
