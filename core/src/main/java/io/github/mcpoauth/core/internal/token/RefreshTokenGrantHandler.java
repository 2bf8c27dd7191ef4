package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code refresh_token} grant with rotation on every use (RFC 6749 §6, OAuth 2.1 §4.3, RFC 9700 §4.14.2).
 *
 * <p>Compare-and-set rotation; presenting a rotated-out token revokes the whole grant; of concurrent refreshes
 * with one token exactly one wins, the others get {@code invalid_grant}: a loser that read the grant before the
 * rotation leaves it alone, one that read it after presents a rotated-out token, which cannot be told from theft,
 * and so revokes the grant. With a {@linkplain AuthorizationServerSettings#refreshTokenReuseInterval() reuse
 * interval} (off by default), the token rotated out last, presented again within the interval, rotates the grant
 * once more instead: the lost answer's token stops working and the retry gets a new one. Refresh tokens name their
 * grant ({@link RefreshTokens}): the store is asked with the grant id the presented token names.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6</a>
 */
final class RefreshTokenGrantHandler implements GrantHandler<RefreshTokenGrant> {

    private final GrantDependencies deps;

    RefreshTokenGrantHandler(GrantDependencies deps) {
        this.deps = deps;
    }

    @Override
    public GrantType grantType() {
        return GrantType.REFRESH_TOKEN;
    }

    @Override
    public Class<RefreshTokenGrant> grantClass() {
        return RefreshTokenGrant.class;
    }

    @Override
    public TokenResult handle(RefreshTokenGrant refreshGrant, TokenContext context) {
        RegisteredClient client = context.client();
        Instant now = context.now();
        if (!client.grantTypes().contains(GrantType.REFRESH_TOKEN)) {
            throw OAuthException.of(OAuth2Error.UNAUTHORIZED_CLIENT, "The client may not use refresh tokens");
        }
        String presented = refreshGrant.getRefreshToken().getValue();
        String hash = Secrets.hash(presented);
        Grant grant = deps.stores().grants().findByRefreshToken(RefreshTokens.grantIdOf(presented), hash)
                .orElseThrow(() -> OAuthException.invalidGrant("The refresh token is invalid or expired"));
        if (!grant.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("The refresh token was issued to another client");
        }
        if (grant.revoked()) {
            throw OAuthException.invalidGrant("The refresh token is invalid or expired");
        }
        // Before reuse detection and rotation: without the key, a bound token neither rotates nor revokes.
        RefreshTokenBinding.check(grant, context.confirmation());
        String rotateFrom = hash;
        String note = "";
        if (!grant.refreshTokenHash().map(h -> Secrets.constantTimeEquals(h, hash)).orElse(false)) {
            if (!retriedWithinReuseInterval(grant, hash, now)) {
                deps.stores().grants().revoke(grant.grantId());
                deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.REFRESH_TOKEN_REUSED, now, grant,
                        "grant revoked"));
                throw OAuthException.invalidGrant("The refresh token is invalid or expired");
            }
            // The client never got the token its last refresh issued: it gets another in its place.
            rotateFrom = grant.refreshTokenHash().orElseThrow();
            note = " (retry within the reuse interval)";
        }
        if (!now.isBefore(grant.expiresAt())) {
            throw OAuthException.invalidGrant("The refresh token is invalid or expired");
        }
        Set<String> scopes = grant.scopes();
        if (context.scope() != null) {
            Set<String> asked = new LinkedHashSet<>(context.scope().toStringList());
            if (!grant.scopes().containsAll(asked)) {
                throw OAuthException.invalidScope("The requested scope exceeds the granted scope");
            }
            scopes = asked;
        }
        List<URI> audience = GrantSupport.narrowResources(deps.settings(), grant.resources(), context.resources());
        String newRefresh = RefreshTokens.issue(deps.secrets(), grant.grantId());
        // Signed before the rotation commits: a signing failure (no key loaded, a store outage) then leaves the
        // presented token current, so the client's retry succeeds instead of counting as reuse.
        String accessToken = deps.accessTokens().issue(grant, scopes, audience, now, context.confirmation());
        if (!deps.stores().grants().rotate(grant.grantId(), rotateFrom, Secrets.hash(newRefresh),
                now.plus(deps.settings().refreshTokenLifetime()))) {
            throw OAuthException.invalidGrant("The refresh token was already used");
        }
        deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.TOKEN_REFRESHED, now, grant,
                "scope=" + String.join(" ", scopes) + note));
        return new TokenResult(accessToken, scopes, Optional.of(newRefresh), context.confirmation());
    }

    /**
     * Whether {@code hash}, no longer current, is the token whose rotation produced the current one, rotated less
     * than the reuse interval ago (off by default): a client retrying a refresh whose answer it never got.
     */
    private boolean retriedWithinReuseInterval(Grant grant, String hash, Instant now) {
        if (deps.settings().refreshTokenReuseInterval().isZero() || grant.refreshTokenHash().isEmpty()) {
            return false;
        }
        return deps.stores().grants().rotationOf(grant.grantId(), hash)
                .filter(r -> Secrets.constantTimeEquals(r.replacedBy(), grant.refreshTokenHash().get()))
                .filter(r -> now.isBefore(r.at().plus(deps.settings().refreshTokenReuseInterval())))
                .isPresent();
    }
}
