package io.github.mcpoauth.core.resource;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.core.internal.resource.ScopeClaim;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opaque (or any) tokens validated by the authorization server's introspection endpoint (RFC 7662 §2), the
 * resource server authenticating with its own client credentials. An {@code active} answer is still checked
 * here: {@code aud} must name this resource, {@code iss} (when given) must be trusted, and the time claims must
 * hold on our clock.
 */
final class IntrospectionTokenValidator implements TokenValidator {

    private static final System.Logger LOG = System.getLogger(AccessTokenVerifier.class.getName());

    private final ProtectedResourceSettings settings;
    private final URI endpoint;
    private final ClientAuthentication clientAuthentication;
    private final BoundedHttpSender sender;
    private final Duration resultTtl;

    IntrospectionTokenValidator(ProtectedResourceSettings settings, URI endpoint,
            ClientAuthentication clientAuthentication, BoundedHttpSender sender, Duration resultTtl) {
        this.settings = settings;
        this.endpoint = endpoint;
        this.clientAuthentication = clientAuthentication;
        this.sender = sender;
        this.resultTtl = resultTtl;
    }

    @Override
    public AccessTokenPrincipal validate(String token) throws TokenRejected {
        TokenShape.checkOpaque(token, settings.maxTokenLength());
        HTTPRequest request = new TokenIntrospectionRequest(endpoint, clientAuthentication,
                new BearerAccessToken(token)).toHTTPRequest();
        request.setFollowRedirects(false);
        TokenIntrospectionResponse response;
        try {
            HTTPResponse http = request.send(sender);
            response = TokenIntrospectionResponse.parse(http);
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.log(Level.WARNING, "token introspection failed: {0}", e.getClass().getSimpleName());
            throw BearerErrors.temporarilyUnavailable();
        }
        if (!response.indicatesSuccess()) {
            LOG.log(Level.WARNING, "token introspection refused: {0}",
                    response.toErrorResponse().getErrorObject().getCode());
            throw BearerErrors.temporarilyUnavailable();
        }
        return principal(response.toSuccessResponse());
    }

    private AccessTokenPrincipal principal(TokenIntrospectionSuccessResponse r) throws TokenRejected {
        if (!r.isActive()) {
            throw new TokenRejected("introspection: not active");
        }
        if (r.getTokenType() != null && !AccessTokenType.BEARER.equals(r.getTokenType())
                && !AccessTokenType.DPOP.equals(r.getTokenType())) {
            throw new TokenRejected("introspection: not a bearer token");
        }
        URI issuer = r.getIssuer() == null ? settings.authorizationServers().get(0)
                : ClaimsChecks.issuer(settings, r.getIssuer().getValue());
        List<String> audience = ClaimsChecks.audience(settings,
                r.getAudience() == null ? List.of() : Audience.toStringList(r.getAudience()));
        Instant exp = instant(r.getExpirationTime());
        Instant iat = instant(r.getIssueTime());
        ClaimsChecks.times(settings, exp, instant(r.getNotBeforeTime()), iat, false);
        String subject = ClaimsChecks.identifier("sub", r.getSubject() == null ? null : r.getSubject().getValue());
        String clientId = ClaimsChecks.identifier("client_id",
                r.getClientID() == null ? null : r.getClientID().getValue());
        Set<String> scopes = ScopeClaim.parse(r.getScope() == null ? null : r.getScope().toString());
        // Without exp the answer is trusted for the result TTL, then asked again.
        Instant expiresAt = exp != null ? exp : settings.clock().instant().plus(resultTtl);
        return new AccessTokenPrincipal(subject, clientId, scopes, audience, issuer, expiresAt,
                Optional.ofNullable(iat), Optional.ofNullable(r.getJWTID()).map(JWTID::getValue),
                Optional.ofNullable(r.getStringParameter("gid")),
                Confirmations.jkt(r.getJSONObjectParameter("cnf")));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
