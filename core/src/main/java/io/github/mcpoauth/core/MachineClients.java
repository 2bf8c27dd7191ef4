package io.github.mcpoauth.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * The administrator's API for machine clients: confidential clients that use the {@code client_credentials}
 * grant (RFC 6749 §4.4) to act as themselves, authenticating with a secret ({@code client_secret_basic} or
 * {@code client_secret_post}) or a private key ({@code private_key_jwt}, RFC 7523 §2.2) whose public half is
 * registered here. Tokens issued to them have the client id as subject and come without a refresh token. They
 * may also use the JWT bearer grant (RFC 7523 §2.1) with assertions of the workload or enterprise issuers the
 * server trusts ({@code AuthorizationServer.Builder#workloadIssuer}, {@code #enterpriseIdentityProvider}).
 *
 * <pre>{@code
 * MachineClients admin = server.machineClients();
 * String secret = admin.registerWithSecret(new ClientID("billing-job"), "Billing job", Set.of("mcp:read"),
 *         ClientAuthenticationMethod.CLIENT_SECRET_BASIC);      // shown once: only its hash is stored
 * admin.registerWithKeys(new ClientID("ci-agent"), "CI agent", Set.of("mcp:read"), publicJwks);
 * admin.rotateSecret(new ClientID("billing-job"));              // the old secret stops working at once
 * admin.delete(new ClientID("ci-agent"));
 * }</pre>
 *
 * <p>Registration here is the only way to create such clients unless dynamic registration is opened to them;
 * every change is reported to the audit listener. Failures fail fast with {@link IllegalArgumentException} naming
 * the field. Tokens already issued to a client that is deleted or rotated stay valid until they expire (the access
 * token lifetime); revoke them through the revocation endpoint if that is too long.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.2">RFC 7523 §2.2</a>
 */
public final class MachineClients {

    private final AuthorizationServerSettings settings;
    private final ClientStore clients;
    private final Secrets secrets;
    private final AuditListener audit;

    MachineClients(AuthorizationServerSettings settings, ClientStore clients, Secrets secrets, AuditListener audit) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Registers a machine client authenticating with a new secret and returns the secret: it is shown this once,
     * only its hash is stored.
     *
     * @param method {@code client_secret_basic} or {@code client_secret_post}
     * @param scopes the scopes it may request (a subset of the server's; empty means the server's default scopes)
     * @throws IllegalArgumentException if the id is taken or not acceptable, or a scope is unknown
     */
    public String registerWithSecret(ClientID clientId, String clientName, Set<String> scopes,
            ClientAuthenticationMethod method) {
        if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method)
                && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)) {
            throw new IllegalArgumentException("method must be client_secret_basic or client_secret_post");
        }
        requireNew(clientId);
        String secret = secrets.newSecret();
        save(clientId, clientName, scopes, method, Optional.of(Secrets.hash(secret)), null, "registered");
        return secret;
    }

    /**
     * Registers a machine client authenticating with {@code private_key_jwt}: it signs its client assertions with
     * a private key whose public half is in {@code publicKeys}.
     *
     * @param publicKeys the client's public signing keys (EC or RSA; no private parts)
     * @throws IllegalArgumentException if the id is taken or not acceptable, a scope is unknown, or the key set is
     *     empty or holds private keys
     */
    public RegisteredClient registerWithKeys(ClientID clientId, String clientName, Set<String> scopes,
            JWKSet publicKeys) {
        requireNew(clientId);
        return save(clientId, clientName, scopes, ClientAuthenticationMethod.PRIVATE_KEY_JWT, Optional.empty(),
                publicOnly(publicKeys), "registered");
    }

    /** The machine clients (those allowed {@code client_credentials}), by id. */
    public List<RegisteredClient> list() {
        return clients.findAll().stream().filter(c -> c.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)).toList();
    }

    /** The machine client with this id, if any. */
    public Optional<RegisteredClient> find(ClientID clientId) {
        return clients.findById(Objects.requireNonNull(clientId, "clientId"))
                .filter(c -> c.grantTypes().contains(GrantType.CLIENT_CREDENTIALS));
    }

    /**
     * Gives a secret-authenticated machine client a new secret and returns it; the old one stops working at once.
     *
     * @throws IllegalArgumentException if there is no such client or it authenticates with keys
     */
    public String rotateSecret(ClientID clientId) {
        RegisteredClient current = existing(clientId);
        if (current.secretHash().isEmpty()) {
            throw new IllegalArgumentException("clientId names a client without a secret");
        }
        String secret = secrets.newSecret();
        save(clientId, current.clientName().orElse(null), current.scopes(), current.authenticationMethod(),
                Optional.of(Secrets.hash(secret)), null, "secret rotated");
        return secret;
    }

    /**
     * Replaces the public keys of a {@code private_key_jwt} machine client; assertions signed with a key no longer
     * in the set are refused from now on. To roll over without a gap, register the old and the new key together
     * first, then the new one alone.
     *
     * @throws IllegalArgumentException if there is no such client, it uses a secret, or the keys are unacceptable
     */
    public RegisteredClient rotateKeys(ClientID clientId, JWKSet publicKeys) {
        RegisteredClient current = existing(clientId);
        if (!ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(current.authenticationMethod())) {
            throw new IllegalArgumentException("clientId names a client that does not use private_key_jwt");
        }
        return save(clientId, current.clientName().orElse(null), current.scopes(), current.authenticationMethod(),
                Optional.empty(), publicOnly(publicKeys), "keys rotated");
    }

    /** Deletes the machine client with this id; false if there was none. */
    public boolean delete(ClientID clientId) {
        if (find(clientId).isEmpty()) {
            return false;
        }
        clients.delete(clientId);
        audit.onEvent(AuditEvent.of(AuditEvent.Type.CLIENT_REGISTERED, settings.clock().instant(),
                clientId.getValue(), "machine client deleted"));
        return true;
    }

    private RegisteredClient existing(ClientID clientId) {
        return find(clientId).orElseThrow(() -> new IllegalArgumentException("clientId names no machine client"));
    }

    private void requireNew(ClientID clientId) {
        Objects.requireNonNull(clientId, "clientId");
        String value = clientId.getValue();
        if (value.isBlank() || value.length() > 255 || value.contains(":") || value.contains("/")
                || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("clientId must be 1-255 printable ASCII characters, not a URL");
        }
        if (clients.findById(clientId).isPresent()) {
            throw new IllegalArgumentException("clientId is already registered");
        }
    }

    private static JWKSet publicOnly(JWKSet keys) {
        Objects.requireNonNull(keys, "publicKeys");
        if (keys.getKeys().isEmpty()) {
            throw new IllegalArgumentException("publicKeys must hold at least one key");
        }
        for (JWK key : keys.getKeys()) {
            if (key.isPrivate()) {
                throw new IllegalArgumentException("publicKeys must hold public keys only");
            }
        }
        return keys;
    }

    private RegisteredClient save(ClientID clientId, String clientName, Set<String> scopes,
            ClientAuthenticationMethod method, Optional<String> secretHash, JWKSet keys, String what) {
        Objects.requireNonNull(scopes, "scopes");
        if (!settings.scopes().containsAll(scopes)) {
            throw new IllegalArgumentException("scopes must be among the server's scopes " + settings.scopes());
        }
        JSONObject metadata = new JSONObject();
        metadata.put("client_id", clientId.getValue());
        if (clientName != null) {
            metadata.put("client_name", clientName);
        }
        JSONArray grants = new JSONArray();
        grants.add(GrantType.CLIENT_CREDENTIALS.getValue());
        grants.add(GrantType.JWT_BEARER.getValue());
        metadata.put("grant_types", grants);
        metadata.put("token_endpoint_auth_method", method.getValue());
        if (!scopes.isEmpty()) {
            metadata.put("scope", String.join(" ", scopes.stream().sorted().toList()));
        }
        if (keys != null) {
            metadata.put("jwks", new JSONObject(keys.toJSONObject(true)));
        }
        RegisteredClient client = new RegisteredClient(clientId, secretHash, method, List.of(),
                Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.JWT_BEARER),
                scopes.isEmpty() ? settings.defaultScopes() : scopes,
                Optional.ofNullable(clientName), metadata.toJSONString(), settings.clock().instant());
        clients.save(client);
        audit.onEvent(AuditEvent.of(AuditEvent.Type.CLIENT_REGISTERED, settings.clock().instant(),
                clientId.getValue(), "machine client " + what));
        return client;
    }
}
