package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.endpoint.ParsedRequest;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;

/**
 * The introspection endpoint (RFC 7662 §2): a confidential client (typically a resource server) authenticates
 * and asks whether a token is active. An active access token is answered with its claims; an active refresh
 * token only to the client it was issued to. Everything else (unknown, malformed, expired, revoked, rotated out,
 * issued by someone else) is {@code {"active": false}} and nothing more (RFC 7662 §2.2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 §2</a>
 */
public final class IntrospectionEndpoint implements JsonEndpoint<TokenIntrospectionRequest> {

    private final AuthorizationServerSettings settings;
    private final ClientAuthenticator authenticator;
    private final IssuedTokens issued;

    /** An introspection endpoint over {@code stores}. */
    public IntrospectionEndpoint(AuthorizationServerSettings settings, Stores stores,
            ClientAuthenticator authenticator, AccessTokens accessTokens) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.issued = new IssuedTokens(stores, accessTokens);
    }

    @Override
    public HTTPResponse handle(ParsedRequest<TokenIntrospectionRequest> request) {
        try {
            return introspect(request.value());
        } catch (RuntimeException | StackOverflowError e) {
            return ErrorResponses.of(e, request.http());
        }
    }

    @Override
    public ParsedRequest<TokenIntrospectionRequest> parse(HTTPRequest request) {
        FormRequests.requireForm(request);
        TokenIntrospectionRequest introspection;
        try {
            introspection = TokenIntrospectionRequest.parse(request);
        } catch (ParseException e) {
            throw ErrorResponses.fromParse(e);
        } catch (RuntimeException e) {
            throw OAuthException.invalidRequest("Malformed request");
        }
        if (introspection.getClientAuthentication() == null) {
            throw OAuthException.invalidClient("Client authentication is required");
        }
        return new ParsedRequest<>(request, introspection,
                ParsedRequest.clientOf(introspection.getClientAuthentication(), null));
    }

    private HTTPResponse introspect(TokenIntrospectionRequest introspection) {
        RegisteredClient caller = authenticator.authenticate(introspection.getClientAuthentication(), null);
        Instant now = settings.clock().instant();
        TokenIntrospectionSuccessResponse answer = issued.find(introspection.getToken().getValue(), now)
                .filter(found -> !found.grant().revoked())
                .flatMap(found -> describe(found, caller, now))
                .orElseGet(() -> new TokenIntrospectionSuccessResponse.Builder(false).build());
        HTTPResponse response = answer.toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }

    private Optional<TokenIntrospectionSuccessResponse> describe(IssuedTokens.Found found, RegisteredClient caller,
            Instant now) {
        Grant grant = found.grant();
        if (found.accessToken().isPresent()) {
            JWTClaimsSet claims = found.accessToken().get();
            Object scope = claims.getClaim("scope");
            Object cnf = claims.getClaim("cnf"); // a DPoP-bound token (RFC 9449 §6.2): the resource checks the key
            return Optional.of(new TokenIntrospectionSuccessResponse.Builder(true)
                    .tokenType(cnf == null ? AccessTokenType.BEARER : AccessTokenType.DPOP)
                    .parameter("cnf", cnf)
                    .clientID(grant.clientId())
                    .subject(new Subject(grant.subject()))
                    .scope(scope instanceof String s && !s.isEmpty() ? Scope.parse(s) : null)
                    .audience(claims.getAudience().stream().map(Audience::new).toList())
                    .issuer(new Issuer(claims.getIssuer()))
                    .issueTime(claims.getIssueTime())
                    .expirationTime(claims.getExpirationTime())
                    .jwtID(claims.getJWTID() == null ? null : new JWTID(claims.getJWTID()))
                    .build());
        }
        if (!found.currentRefreshToken() || !grant.clientId().equals(caller.clientId())
                || !now.isBefore(grant.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(grant.clientId())
                .subject(new Subject(grant.subject()))
                .scope(grant.scopes().isEmpty() ? null : new Scope(grant.scopes().toArray(String[]::new)))
                .audience(grant.resources().stream().map(URI::toString).map(Audience::new).toList())
                .issuer(new Issuer(settings.issuer()))
                .expirationTime(Date.from(grant.expiresAt()))
                .parameter("token_type", "refresh_token")
                .build());
    }
}
