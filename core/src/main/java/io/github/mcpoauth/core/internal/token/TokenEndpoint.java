package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.github.mcpoauth.core.internal.authorization.Pkce;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.dpop.TokenEndpointDpop;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.endpoint.ParsedRequest;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The token endpoint (RFC 6749 §3.2, OAuth 2.1 §3.2): the {@code authorization_code} grant with PKCE and
 * single-use codes, and the {@code refresh_token} grant with rotation on every use.
 *
 * <p>Codes: the client, redirect URI, expiry and PKCE verifier are checked before the code is consumed, so a
 * request that fails them leaves the code redeemable; the code is consumed and the grant saved in one atomic step
 * ({@link io.github.mcpoauth.core.store.AuthorizationCodeStore#redeem}), so that a store failure leaves the code
 * redeemable for the client's retry, and a replay of the code (RFC 6749 §4.1.2, RFC 9700 §4.2.4) always finds,
 * and revokes, everything it issued.
 * Refresh tokens: compare-and-set rotation; presenting a rotated-out token revokes the whole grant
 * (RFC 9700 §4.14.2); of concurrent refreshes with one token exactly one wins, the others get
 * {@code invalid_grant}: a loser that read the grant before the rotation leaves it alone, one that read it after
 * presents a rotated-out token, which cannot be told from theft, and so revokes the grant. With a
 * {@linkplain AuthorizationServerSettings#refreshTokenReuseInterval() reuse interval} (off by default), the token
 * rotated out last, presented again within the interval, rotates the grant once more instead: the lost answer's
 * token stops working and the retry gets a new one.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3">RFC 6749 §4.1.3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6</a>
 */
public final class TokenEndpoint implements JsonEndpoint<TokenRequest> {

    private final AuthorizationServerSettings settings;
    private final Stores stores;
    private final ClientAuthenticator authenticator;
    private final AccessTokens accessTokens;
    private final Secrets secrets;
    private final AuditListener audit;
    private final TokenEndpointDpop dpop;

    /** A token endpoint over {@code stores}. */
    public TokenEndpoint(AuthorizationServerSettings settings, Stores stores, ClientAuthenticator authenticator,
            AccessTokens accessTokens, Secrets secrets, AuditListener audit) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.dpop = new TokenEndpointDpop(settings, secrets);
    }

    /** Handles one token request; never throws. */
    public HTTPResponse handle(HTTPRequest request) {
        ParsedRequest<TokenRequest> parsed;
        try {
            parsed = read(request);
        } catch (RuntimeException | StackOverflowError e) {
            return dpop.decorate(ErrorResponses.of(e, request));
        }
        return handle(parsed);
    }

    @Override
    public ParsedRequest<TokenRequest> parse(HTTPRequest request) {
        return read(request);
    }

    @Override
    public HTTPResponse handle(ParsedRequest<TokenRequest> request) {
        try {
            return dpop.decorate(token(request.value(), request.http()));
        } catch (RuntimeException | StackOverflowError e) {
            return dpop.decorate(ErrorResponses.of(e, request.http()));
        }
    }

    private static ParsedRequest<TokenRequest> read(HTTPRequest request) {
        TokenRequest tokenRequest = parseForm(request);
        return new ParsedRequest<>(request, tokenRequest,
                ParsedRequest.clientOf(tokenRequest.getClientAuthentication(), tokenRequest.getClientID()));
    }

    private HTTPResponse token(TokenRequest tokenRequest, HTTPRequest request) {
        RegisteredClient client = authenticator.authenticate(tokenRequest.getClientAuthentication(),
                tokenRequest.getClientID());
        AuthorizationGrant grant = tokenRequest.getAuthorizationGrant();
        Optional<String> jkt = dpop.bind(request); // DPoP (RFC 9449 §5): the key the tokens are bound to, if any
        if (grant instanceof AuthorizationCodeGrant codeGrant) {
            return redeem(client, codeGrant, tokenRequest.getResources(), jkt);
        }
        if (grant instanceof RefreshTokenGrant refreshGrant) {
            return refresh(client, refreshGrant, tokenRequest.getScope(), tokenRequest.getResources(), jkt);
        }
        throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
    }

    /** Parses a form POST, refusing duplicated parameters (RFC 6749 §3.2). */
    private static TokenRequest parseForm(HTTPRequest request) {
        FormRequests.requireForm(request);
        try {
            return TokenRequest.parse(request);
        } catch (ParseException e) {
            throw ErrorResponses.fromParse(e);
        } catch (RuntimeException e) {
            // Nimbus throws IllegalArgumentException when it quotes a bad value (a resource with a quote or a
            // control character) in its own error description.
            throw OAuthException.invalidRequest("Malformed request");
        }
    }

    private HTTPResponse redeem(RegisteredClient client, AuthorizationCodeGrant codeGrant, List<URI> requested,
            Optional<String> jkt) {
        Instant now = settings.clock().instant();
        String codeHash = Secrets.hash(codeGrant.getAuthorizationCode().getValue());
        AuthorizationCode code = stores.codes().find(codeHash)
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
        List<URI> audience = narrowResources(code.resources(), requested);

        boolean withRefresh = client.grantTypes().contains(GrantType.REFRESH_TOKEN);
        String refreshToken = withRefresh ? secrets.newSecret() : null;
        Instant accessExpiry = now.plus(settings.accessTokenLifetime());
        Grant grant = new Grant(code.grantId(), client.clientId(), code.subject(), code.scopes(), code.resources(),
                now, Optional.ofNullable(refreshToken).map(Secrets::hash),
                withRefresh ? now.plus(settings.refreshTokenLifetime()) : accessExpiry, false);
        // Signed first: once keys are loaded this needs no store, so nothing can fail after the code is consumed.
        SignedJWT accessToken = accessTokens.issue(grant, code.scopes(), audience, now, jkt);
        // Consumed and saved in one atomic step: a failure (an outage: 503) leaves the code redeemable, and the
        // client's retry succeeds; only a code consumed for real is a replay.
        if (!stores.codes().redeem(codeHash, grant, stores.grants())) {
            replayed(code, now); // a concurrent redemption consumed it first
        }
        audit.onEvent(event(AuditEvent.Type.CODE_REDEEMED, now, grant, "scope=" + String.join(" ", code.scopes())));
        audit.onEvent(event(AuditEvent.Type.TOKEN_ISSUED, now, grant, "refresh=" + (refreshToken != null)));
        return tokenResponse(accessToken, code.scopes(), refreshToken, jkt.isPresent());
    }

    private HTTPResponse refresh(RegisteredClient client, RefreshTokenGrant refreshGrant, Scope scope,
            List<URI> requested, Optional<String> jkt) {
        Instant now = settings.clock().instant();
        if (!client.grantTypes().contains(GrantType.REFRESH_TOKEN)) {
            throw OAuthException.of(OAuth2Error.UNAUTHORIZED_CLIENT, "The client may not use refresh tokens");
        }
        String hash = Secrets.hash(refreshGrant.getRefreshToken().getValue());
        Grant grant = stores.grants().findByRefreshToken(hash)
                .orElseThrow(() -> OAuthException.invalidGrant("The refresh token is invalid or expired"));
        if (!grant.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("The refresh token was issued to another client");
        }
        if (grant.revoked()) {
            throw OAuthException.invalidGrant("The refresh token is invalid or expired");
        }
        String rotateFrom = hash;
        String note = "";
        if (!grant.refreshTokenHash().map(h -> Secrets.constantTimeEquals(h, hash)).orElse(false)) {
            if (!retriedWithinReuseInterval(grant, hash, now)) {
                stores.grants().revoke(grant.grantId());
                audit.onEvent(event(AuditEvent.Type.REFRESH_TOKEN_REUSED, now, grant, "grant revoked"));
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
        if (scope != null) {
            Set<String> asked = new LinkedHashSet<>(scope.toStringList());
            if (!grant.scopes().containsAll(asked)) {
                throw OAuthException.invalidScope("The requested scope exceeds the granted scope");
            }
            scopes = asked;
        }
        List<URI> audience = narrowResources(grant.resources(), requested);
        String newRefresh = secrets.newSecret();
        if (!stores.grants().rotate(grant.grantId(), rotateFrom, Secrets.hash(newRefresh),
                now.plus(settings.refreshTokenLifetime()))) {
            throw OAuthException.invalidGrant("The refresh token was already used");
        }
        SignedJWT accessToken = accessTokens.issue(grant, scopes, audience, now, jkt);
        audit.onEvent(event(AuditEvent.Type.TOKEN_REFRESHED, now, grant,
                "scope=" + String.join(" ", scopes) + note));
        return tokenResponse(accessToken, scopes, newRefresh, jkt.isPresent());
    }

    /**
     * Whether {@code hash}, no longer current, is the token whose rotation produced the current one, rotated less
     * than the reuse interval ago (off by default): a client retrying a refresh whose answer it never got.
     */
    private boolean retriedWithinReuseInterval(Grant grant, String hash, Instant now) {
        if (settings.refreshTokenReuseInterval().isZero() || grant.refreshTokenHash().isEmpty()) {
            return false;
        }
        return stores.grants().rotationOf(hash)
                .filter(r -> Secrets.constantTimeEquals(r.replacedBy(), grant.refreshTokenHash().get()))
                .filter(r -> now.isBefore(r.at().plus(settings.refreshTokenReuseInterval())))
                .isPresent();
    }

    private List<URI> narrowResources(List<URI> granted, List<URI> requested) {
        if (requested == null || requested.isEmpty()) {
            return granted;
        }
        Set<URI> audience = new LinkedHashSet<>();
        for (URI r : requested) {
            // The configured spelling (scheme and host case, a root resource's trailing slash) is what aud carries.
            URI configured = settings.protectedResource(r).filter(granted::contains)
                    .orElseThrow(() -> OAuthException.invalidTarget("resource was not granted"));
            audience.add(configured);
        }
        return List.copyOf(audience);
    }

    private void replayed(AuthorizationCode code, Instant now) {
        stores.grants().revoke(code.grantId());
        audit.onEvent(new AuditEvent(AuditEvent.Type.CODE_REPLAYED, now, Optional.of(code.clientId().getValue()),
                Optional.of(code.subject()), Optional.of(code.grantId()), "grant revoked"));
        throw OAuthException.invalidGrant("The authorization code is invalid or expired");
    }

    private HTTPResponse tokenResponse(SignedJWT accessToken, Set<String> scopes, String refreshToken,
            boolean dpopBound) {
        Scope scope = scopes.isEmpty() ? null : new Scope(scopes.toArray(String[]::new));
        long lifetime = settings.accessTokenLifetime().toSeconds();
        AccessToken bearer = dpopBound ? new DPoPAccessToken(accessToken.serialize(), lifetime, scope)
                : new BearerAccessToken(accessToken.serialize(), lifetime, scope);
        HTTPResponse response = new AccessTokenResponse(
                new Tokens(bearer, refreshToken == null ? null : new RefreshToken(refreshToken))).toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }

    private static AuditEvent event(AuditEvent.Type type, Instant now, Grant grant, String detail) {
        return new AuditEvent(type, now, Optional.of(grant.clientId().getValue()), Optional.of(grant.subject()),
                Optional.of(grant.grantId()), detail);
    }
}
