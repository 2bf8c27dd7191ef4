package io.github.mcpoauth.core.internal.client;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3): {@code none} for
 * public clients (identified by {@code client_id} alone), {@code client_secret_basic} and
 * {@code client_secret_post} for confidential ones, and {@code private_key_jwt} (RFC 7523 §2.2) for clients that
 * registered public keys ({@link PrivateKeyJwtVerifier}), the method being the one the client registered. Secrets
 * are compared against their stored hash in constant time. Every failure is the same {@code invalid_client} (401),
 * whatever went wrong, so the response is no oracle for client ids.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
public final class ClientAuthenticator {

    /** Compared against when the client is unknown, so that the presented secret is hashed either way. */
    private static final String NO_SUCH_CLIENT_HASH = Secrets.hash("\u0000no-such-client");

    private final ClientStore clients;
    private final Clock clock;
    private final AuditListener audit;
    private final Optional<PrivateKeyJwtVerifier> privateKeyJwt;

    /** An authenticator over {@code clients} without {@code private_key_jwt}, reporting failures to {@code audit}. */
    public ClientAuthenticator(ClientStore clients, Clock clock, AuditListener audit) {
        this(clients, clock, audit, null);
    }

    /** An authenticator over {@code clients} verifying client assertions with {@code privateKeyJwt}. */
    public ClientAuthenticator(ClientStore clients, Clock clock, AuditListener audit,
            PrivateKeyJwtVerifier privateKeyJwt) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.privateKeyJwt = Optional.ofNullable(privateKeyJwt);
    }

    /**
     * The client that {@code authentication} (a secret) or, for a public client, {@code publicClientId}
     * identifies.
     *
     * @param authentication the parsed client authentication, or {@code null} if the request had none
     * @param publicClientId the {@code client_id} parameter of a request without client authentication, or
     *     {@code null}
     * @throws OAuthException {@code invalid_client} (401) if the client is unknown or fails to authenticate
     */
    public RegisteredClient authenticate(ClientAuthentication authentication, ClientID publicClientId) {
        if (authentication == null) {
            if (publicClientId == null) {
                throw fail(null, "Client authentication is required");
            }
            RegisteredClient client = clients.findById(publicClientId)
                    .orElseThrow(() -> fail(publicClientId, "Client authentication failed"));
            if (!ClientAuthenticationMethod.NONE.equals(client.authenticationMethod())) {
                throw fail(publicClientId, "Client authentication failed");
            }
            return client;
        }
        ClientID id = authentication.getClientID();
        if (authentication instanceof PrivateKeyJWT assertion && privateKeyJwt.isPresent()) {
            return assertion(assertion, id);
        }
        if (!(authentication instanceof ClientSecretBasic) && !(authentication instanceof ClientSecretPost)) {
            throw fail(id, "Unsupported client authentication method");
        }
        Optional<RegisteredClient> found = clients.findById(id);
        String presented = ((PlainClientSecret) authentication).getClientSecret().getValue();
        // Hash even for an unknown client so the time taken does not reveal which ids exist.
        boolean secretOk = Secrets.matches(presented, found.flatMap(RegisteredClient::secretHash)
                .orElse(NO_SUCH_CLIENT_HASH));
        if (found.isEmpty() || !secretOk || !authentication.getMethod().equals(found.get().authenticationMethod())) {
            throw fail(id, "Client authentication failed");
        }
        return found.get();
    }

    private RegisteredClient assertion(PrivateKeyJWT assertion, ClientID id) {
        RegisteredClient client = clients.findById(id)
                .filter(c -> ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(c.authenticationMethod()))
                .orElseThrow(() -> fail(id, "Client authentication failed"));
        try {
            privateKeyJwt.get().verify(assertion, client);
        } catch (PrivateKeyJwtVerifier.Refused e) {
            // The reason goes to the audit log only: the client learns no more than invalid_client.
            audit.onEvent(AuditEvent.of(AuditEvent.Type.AUTHENTICATION_FAILED, clock.instant(), id.getValue(),
                    "private_key_jwt: " + e.getMessage()));
            throw OAuthException.invalidClient("Client authentication failed");
        }
        return client;
    }

    private OAuthException fail(ClientID id, String description) {
        audit.onEvent(AuditEvent.of(AuditEvent.Type.AUTHENTICATION_FAILED, clock.instant(),
                id == null ? null : id.getValue(), description));
        return OAuthException.invalidClient(description);
    }
}
