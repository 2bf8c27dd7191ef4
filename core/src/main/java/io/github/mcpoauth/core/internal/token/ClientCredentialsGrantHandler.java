package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code client_credentials} grant (RFC 6749 §4.4, OAuth 2.1 §4.2) for confidential clients registered with
 * that grant type: the client is the token's subject, and no refresh token is issued. Each token belongs to a
 * grant of its own, saved to the grant store, so that deleting or revoking it refuses the token at the guard.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
final class ClientCredentialsGrantHandler implements GrantHandler<ClientCredentialsGrant> {

    private final GrantDependencies deps;

    ClientCredentialsGrantHandler(GrantDependencies deps) {
        this.deps = deps;
    }

    @Override
    public GrantType grantType() {
        return GrantType.CLIENT_CREDENTIALS;
    }

    @Override
    public Class<ClientCredentialsGrant> grantClass() {
        return ClientCredentialsGrant.class;
    }

    @Override
    public TokenResult handle(ClientCredentialsGrant grant, TokenContext context) {
        RegisteredClient client = context.client();
        Instant now = context.now();
        if (ClientAuthenticationMethod.NONE.equals(client.authenticationMethod())
                || !client.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw OAuthException.of(OAuth2Error.UNAUTHORIZED_CLIENT,
                    "The client may not use the client_credentials grant");
        }
        Set<String> scopes = scopes(client, context);
        List<URI> audience = GrantSupport.narrowResources(deps.settings(), deps.settings().resources(),
                context.resources());
        Grant saved = new Grant(deps.secrets().newId(16), client.clientId(), client.clientId().getValue(), scopes,
                audience,
                now, Optional.empty(), now.plus(deps.settings().accessTokenLifetime()), false);
        String accessToken = deps.accessTokens().issue(saved, scopes, audience, now, context.confirmation());
        deps.stores().grants().save(saved);
        deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.TOKEN_ISSUED, now, saved,
                "grant=client_credentials scope=" + String.join(" ", scopes)));
        return new TokenResult(accessToken, scopes, Optional.empty(), context.confirmation());
    }

    /** The requested scopes, each allowed to the client; the client's (or the server's default) scopes if none. */
    private Set<String> scopes(RegisteredClient client, TokenContext context) {
        Set<String> allowed = client.scopes().isEmpty() ? deps.settings().scopes() : client.scopes();
        if (context.scope() == null) {
            return client.scopes().isEmpty() ? deps.settings().defaultScopes() : client.scopes();
        }
        Set<String> asked = new LinkedHashSet<>(context.scope().toStringList());
        if (!allowed.containsAll(asked)) {
            throw OAuthException.invalidScope("The requested scope is not allowed for this client");
        }
        return asked;
    }
}
