package io.github.mcpoauth.core.resource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

    /**
     * What the grant {@code grantId} holds ({@code sub}, {@code client_id}, scopes, resources), revoked or not, if
     * it is still held: the claims a same-app token of the reference form leaves to its grant. The default knows
     * none, and such tokens are then refused; {@code AuthorizationServer.revocationCheck()} answers from its grant
     * store. An exception is not an answer: the request fails with 503, as for {@link #isActive}.
     */
    default Optional<GrantClaims> grantClaims(String grantId) {
        return Optional.empty();
    }

    /** No check: every token that verifies is active until it expires (the default). */
    static RevocationCheck none() {
        return p -> true;
    }

    /**
     * The claims a grant holds for every token of its family: who it speaks for, the client, the scopes and the
     * resources granted. A same-app access token of the reference form carries only its grant's id and what differs
     * from these (a narrower scope or audience, a DPoP key); {@link #grantClaims} supplies the rest, from the same
     * grant the revocation check reads anyway.
     *
     * @param subject the resource owner ({@code sub}, RFC 9068 §2.2)
     * @param clientId the client ({@code client_id}, RFC 9068 §2.2)
     * @param scopes the granted scopes ({@code scope}, RFC 9068 §2.2.3)
     * @param resources the resources granted (RFC 8707), the tokens' {@code aud}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2</a>
     * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2</a>
     */
    record GrantClaims(String subject, String clientId, Set<String> scopes, List<String> resources) {

        /** Checks every part is present and makes the collections unmodifiable. */
        public GrantClaims {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
            resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        }
    }
}
