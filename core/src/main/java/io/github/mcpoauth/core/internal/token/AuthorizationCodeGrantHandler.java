package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.internal.authorization.Pkce;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code authorization_code} grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.6, OAuth 2.1 §4.1.3).
 *
 * <p>The client, redirect URI, expiry and PKCE verifier are checked before the code is consumed, so a request
 * that fails them leaves the code redeemable; the code is consumed and the grant saved in one atomic step
 * ({@link io.github.mcpoauth.core.store.AuthorizationCodeStore#redeem}), so that a store failure leaves the code
 * redeemable for the client's retry, and a replay of the code (RFC 6749 §4.1.2, RFC 9700 §4.2.4) always finds,
 * and revokes, everything it issued.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3">RFC 6749 §4.1.3</a>
 */
final class AuthorizationCodeGrantHandler implements GrantHandler<AuthorizationCodeGrant> {

    private final GrantDependencies deps;

    AuthorizationCodeGrantHandler(GrantDependencies deps) {
        this.deps = deps;
    }

    @Override
    public GrantType grantType() {
        return GrantType.AUTHORIZATION_CODE;
    }

    @Override
    public Class<AuthorizationCodeGrant> grantClass() {
        return AuthorizationCodeGrant.class;
    }

    @Override
    public TokenResult handle(AuthorizationCodeGrant codeGrant, TokenContext context) {
        RegisteredClient client = context.client();
        Instant now = context.now();
        String codeHash = Secrets.hash(codeGrant.getAuthorizationCode().getValue());
        AuthorizationCode code = deps.stores().codes().find(codeHash)
                .orElseThrow(() -> OAuthException.invalidGrant("The authorization code is invalid or expired"));
        // Checked before replay: another client presenting a used code must not be able to revoke the grant.
        if (!code.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("The authorization code was issued to another client");
        }
        if (code.consumed()) {
            replayed(code, now);
        }
        if (!now.isBefore(code.expiresAt())) {
            throw OAuthException.invalidGrant("The authorization code is invalid or expired");
        }
        URI sentRedirect = codeGrant.getRedirectionURI();
        // Exact string comparison (RFC 6749 §4.1.3 "identical"): URI.equals ignores the case of scheme and host.
        if (!Objects.equals(code.redirectUri().map(URI::toString).orElse(null),
                sentRedirect == null ? null : sentRedirect.toString())) {
            throw OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
        CodeVerifier verifier = codeGrant.getCodeVerifier();
        if (verifier == null) {
            throw OAuthException.invalidRequest("code_verifier is required");
        }
        if (!Pkce.verify(verifier.getValue(), code.codeChallenge())) {
            throw OAuthException.invalidGrant("PKCE verification failed");
        }
        List<URI> audience = GrantSupport.narrowResources(deps.settings(), code.resources(), context.resources());

        boolean withRefresh = client.grantTypes().contains(GrantType.REFRESH_TOKEN);
        String refreshToken = withRefresh ? RefreshTokens.issue(deps.secrets(), code.grantId()) : null;
        Instant accessExpiry = now.plus(deps.settings().accessTokenLifetime());
        Grant grant = new Grant(code.grantId(), client.clientId(), code.subject(), code.scopes(), code.resources(),
                now, Optional.ofNullable(refreshToken).map(Secrets::hash),
                withRefresh ? now.plus(deps.settings().refreshTokenLifetime()) : accessExpiry, false,
                RefreshTokenBinding.bindOnIssue(client, withRefresh, context.confirmation()));
        // Signed first: once keys are loaded this needs no store, so nothing can fail after the code is consumed.
        String accessToken = deps.accessTokens().issue(grant, code.scopes(), audience, now, context.confirmation());
        // Consumed and saved in one atomic step: a failure (an outage: 503) leaves the code redeemable, and the
        // client's retry succeeds; only a code consumed for real is a replay.
        if (!deps.stores().codes().redeem(codeHash, grant, deps.stores().grants())) {
            // A concurrent redemption consumed it first: a replay.
            // Gone meanwhile (it expired): no replay, no revocation.
            if (deps.stores().codes().find(codeHash).map(AuthorizationCode::consumed).orElse(false)) {
                replayed(code, now);
            }
            throw OAuthException.invalidGrant("The authorization code is invalid or expired");
        }
        deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.CODE_REDEEMED, now, grant,
                "scope=" + String.join(" ", code.scopes())));
        deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.TOKEN_ISSUED, now, grant,
                "refresh=" + (refreshToken != null)));
        return new TokenResult(accessToken, code.scopes(), Optional.ofNullable(refreshToken), context.confirmation());
    }

    private void replayed(AuthorizationCode code, Instant now) {
        deps.stores().grants().revoke(code.grantId());
        deps.audit().onEvent(new AuditEvent(AuditEvent.Type.CODE_REPLAYED, now, Optional.of(code.clientId().getValue()),
                Optional.of(code.subject()), Optional.of(code.grantId()), "grant revoked"));
        throw OAuthException.invalidGrant("The authorization code is invalid or expired");
    }
}
