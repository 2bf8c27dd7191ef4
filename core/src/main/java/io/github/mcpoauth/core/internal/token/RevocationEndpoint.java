package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.endpoint.ParsedRequest;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The revocation endpoint (RFC 7009 §2): the client authenticates and names one of its tokens, access or
 * refresh; the token's whole grant is revoked, so every access and refresh token of that authorization stops
 * working (RFC 7009 §2.1 allows this and RFC 9700 §4.14.2 recommends it). The answer is 200 whether or not the
 * token was known, valid or the caller's (RFC 7009 §2.2), so the endpoint is no oracle; another client's token is
 * never revoked.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
public final class RevocationEndpoint implements JsonEndpoint<TokenRevocationRequest> {

    private final AuthorizationServerSettings settings;
    private final Stores stores;
    private final ClientAuthenticator authenticator;
    private final IssuedTokens issued;
    private final AuditListener audit;

    /** A revocation endpoint over {@code stores}. */
    public RevocationEndpoint(AuthorizationServerSettings settings, Stores stores, ClientAuthenticator authenticator,
            AccessTokens accessTokens, AuditListener audit) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.issued = new IssuedTokens(stores, accessTokens);
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public HTTPResponse handle(ParsedRequest<TokenRevocationRequest> request) {
        try {
            return revoke(request.value());
        } catch (RuntimeException | StackOverflowError e) {
            return ErrorResponses.of(e, request.http());
        }
    }

    @Override
    public ParsedRequest<TokenRevocationRequest> parse(HTTPRequest request) {
        java.util.Map<String, java.util.List<String>> form = FormRequests.requireForm(request);
        // Nimbus reports a request without any client identification as a parse error (400); RFC 7009 §2.1 and
        // RFC 6749 §5.2 make it invalid_client (401).
        if (request.getAuthorization() == null && !form.containsKey("client_id")) {
            throw OAuthException.invalidClient("Client authentication is required");
        }
        TokenRevocationRequest revocation;
        try {
            revocation = TokenRevocationRequest.parse(request);
        } catch (ParseException e) {
            throw ErrorResponses.fromParse(e);
        } catch (RuntimeException e) {
            throw OAuthException.invalidRequest("Malformed request");
        }
        return new ParsedRequest<>(request, revocation,
                ParsedRequest.clientOf(revocation.getClientAuthentication(), revocation.getClientID()));
    }

    private HTTPResponse revoke(TokenRevocationRequest revocation) {
        RegisteredClient client = authenticator.authenticate(revocation.getClientAuthentication(),
                revocation.getClientID());
        Instant now = settings.clock().instant();
        Optional<Grant> grant = issued.grantOf(revocation.getToken().getValue(), now);
        if (grant.isPresent() && grant.get().clientId().equals(client.clientId()) && !grant.get().revoked()) {
            stores.grants().revoke(grant.get().grantId());
            audit.onEvent(new AuditEvent(AuditEvent.Type.TOKEN_REVOKED, now,
                    Optional.of(client.clientId().getValue()), Optional.of(grant.get().subject()),
                    Optional.of(grant.get().grantId()), "grant revoked by client"));
        }
        HTTPResponse response = new HTTPResponse(HTTPResponse.SC_OK);
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }
}
