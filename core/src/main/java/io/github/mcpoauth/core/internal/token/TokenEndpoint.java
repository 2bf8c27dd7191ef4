package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.dpop.TokenEndpointDpop;
import io.github.mcpoauth.core.internal.endpoint.JsonEndpoint;
import io.github.mcpoauth.core.internal.endpoint.ParsedRequest;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token endpoint (RFC 6749 §3.2, OAuth 2.1 §3.2): one pipeline for every grant type. Nimbus parses the form
 * into a typed grant ({@link TokenRequest#parse}), the {@link ClientAuthenticator} authenticates the client, the
 * {@link SenderConstraint} step checks any proof of possession, the {@link GrantHandler} registered for the
 * {@code grant_type} decides, and {@link TokenResponses} writes the answer; any failure becomes the standard JSON
 * error through {@link ErrorResponses}. A grant type without a handler is {@code unsupported_grant_type}.
 *
 * <p>The handlers: {@link AuthorizationCodeGrantHandler}, {@link RefreshTokenGrantHandler},
 * {@link ClientCredentialsGrantHandler}, and any given to the constructor.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2</a>
 */
public final class TokenEndpoint implements JsonEndpoint<TokenRequest> {

    /**
     * The one spot where a proof of possession (a DPoP proof, RFC 9449 §4.3) is checked at the token endpoint:
     * called after client authentication and before the grant handler, it returns the JWK SHA-256 thumbprint the
     * issued tokens are to be bound to ({@code cnf.jkt}), empty for bearer tokens, or throws an
     * {@link OAuthException} ({@code invalid_dpop_proof}, {@code use_dpop_nonce}).
     */
    @FunctionalInterface
    public interface SenderConstraint {

        /** No proof checked: bearer tokens. */
        SenderConstraint NONE = (request, client) -> Optional.empty();

        /** The thumbprint to bind the tokens of this request to, if any. */
        Optional<String> confirm(HTTPRequest request, RegisteredClient client);
    }

    private final AuthorizationServerSettings settings;
    private final ClientAuthenticator authenticator;
    private final SenderConstraint senderConstraint;
    private final Map<GrantType, GrantHandler<?>> handlers;
    private final TokenEndpointDpop dpop;

    /**
     * A token endpoint over {@code stores} with the built-in grant handlers, issuing DPoP-bound tokens to requests
     * with a DPoP proof when the settings enable DPoP, bearer tokens otherwise.
     */
    public TokenEndpoint(AuthorizationServerSettings settings, Stores stores, ClientAuthenticator authenticator,
            AccessTokens accessTokens, Secrets secrets, AuditListener audit) {
        this(settings, authenticator, null, builtIn(settings, stores, accessTokens, secrets, audit), secrets);
    }

    /**
     * A token endpoint with these handlers (one per grant type; a later one for the same type replaces an earlier
     * one) and this sender-constraint step ({@code null}: DPoP as the settings say, RFC 9449 §5).
     */
    public TokenEndpoint(AuthorizationServerSettings settings, ClientAuthenticator authenticator,
            SenderConstraint senderConstraint, List<GrantHandler<?>> handlers, Secrets secrets) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.dpop = new TokenEndpointDpop(settings, Objects.requireNonNull(secrets, "secrets"));
        this.senderConstraint = senderConstraint != null ? senderConstraint
                : (request, client) -> dpop.bind(request);
        Map<GrantType, GrantHandler<?>> byType = new LinkedHashMap<>();
        for (GrantHandler<?> h : Objects.requireNonNull(handlers, "handlers")) {
            byType.put(Objects.requireNonNull(h.grantType(), "handlers[].grantType"), h);
        }
        this.handlers = Map.copyOf(byType);
    }

    /** The built-in handlers: authorization code, refresh token, client credentials. */
    public static List<GrantHandler<?>> builtIn(AuthorizationServerSettings settings, Stores stores,
            AccessTokens accessTokens, Secrets secrets, AuditListener audit) {
        GrantDependencies deps = new GrantDependencies(settings, stores, accessTokens, secrets, audit);
        return List.of(new AuthorizationCodeGrantHandler(deps), new RefreshTokenGrantHandler(deps),
                new ClientCredentialsGrantHandler(deps));
    }

    /**
     * The JWT bearer grant handler (RFC 7523 §2.1) for assertions of {@code issuers}: workload identity and
     * ID-JAGs; {@code replay} is shared with client assertions.
     */
    public static GrantHandler<?> jwtBearer(AuthorizationServerSettings settings, Stores stores,
            AccessTokens accessTokens, Secrets secrets, AuditListener audit,
            io.github.mcpoauth.core.internal.client.ReplayCache replay, List<TrustedIssuer> issuers) {
        return new JwtBearerGrantHandler(new GrantDependencies(settings, stores, accessTokens, secrets, audit), replay,
                issuers);
    }

    /** The grant types this endpoint serves, for the metadata document. */
    public java.util.Set<GrantType> grantTypes() {
        return handlers.keySet();
    }

    /** Handles one token request; never throws; the DPoP nonce, if any, also on a parse failure. */
    @Override
    public HTTPResponse handle(HTTPRequest request) {
        ParsedRequest<TokenRequest> parsed;
        try {
            parsed = parse(request);
        } catch (RuntimeException | StackOverflowError e) {
            return dpop.decorate(ErrorResponses.of(e, request));
        }
        return handle(parsed);
    }

    @Override
    public ParsedRequest<TokenRequest> parse(HTTPRequest request) {
        TokenRequest tokenRequest = parseForm(request);
        return new ParsedRequest<>(request, tokenRequest,
                ParsedRequest.clientOf(tokenRequest.getClientAuthentication(), tokenRequest.getClientID()));
    }

    @Override
    public HTTPResponse handle(ParsedRequest<TokenRequest> request) {
        try {
            return dpop.decorate(token(request.value(), request.http()));
        } catch (RuntimeException | StackOverflowError e) {
            return dpop.decorate(ErrorResponses.of(e, request.http()));
        }
    }

    private HTTPResponse token(TokenRequest tokenRequest, HTTPRequest request) {
        AuthorizationGrant grant = tokenRequest.getAuthorizationGrant();
        RegisteredClient client = authenticator.authenticate(tokenRequest.getClientAuthentication(),
                tokenRequest.getClientID());
        GrantHandler<?> handler = handlers.get(grant.getType());
        if (handler == null) {
            throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
        }
        Optional<String> confirmation = senderConstraint.confirm(request, client);
        TokenContext context = new TokenContext(client, tokenRequest, settings.clock().instant(), confirmation);
        return TokenResponses.of(decide(handler, grant, context), settings.accessTokenLifetime());
    }

    private static <G extends AuthorizationGrant> TokenResult decide(GrantHandler<G> handler,
            AuthorizationGrant grant, TokenContext context) {
        if (!handler.grantClass().isInstance(grant)) {
            throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
        }
        return handler.handle(handler.grantClass().cast(grant), context);
    }

    /** Parses a form POST, refusing duplicated parameters (RFC 6749 §3.2). */
    static TokenRequest parseForm(HTTPRequest request) {
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
}
