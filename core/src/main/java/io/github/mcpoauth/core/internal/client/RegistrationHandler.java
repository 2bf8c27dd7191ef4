package io.github.mcpoauth.core.internal.client;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONObject;

/**
 * The dynamic client registration endpoint (RFC 7591 §3): parses the client metadata, applies the server's
 * policy, assigns a {@code client_id} (and, for confidential clients, a 256-bit secret stored only as its hash)
 * and answers 201 with the registered metadata.
 *
 * <p>Policy: grant types {@code authorization_code} and {@code refresh_token} only (or, where
 * {@link AuthorizationServerSettings#dynamicMachineClients()} allows it, {@code client_credentials} alone, with no
 * redirect URIs and a confidential method); response type {@code code} only; authentication {@code none},
 * {@code client_secret_basic} (the RFC 7591 default), {@code client_secret_post} or {@code private_key_jwt} (no
 * secret; keys in {@code jwks} or at {@code jwks_uri}, {@link ClientMetadataRules#publicKeys}); redirect URIs, the
 * informational URIs ({@code client_uri}, {@code logo_uri}, {@code tos_uri}, {@code policy_uri}: https),
 * {@code client_name} and scopes per {@link ClientMetadataRules}, which client ID metadata documents share; a
 * client-chosen {@code client_id} or secret is refused. Requested scopes the server does not know are dropped.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3">RFC 7591 §3</a>
 */
public final class RegistrationHandler {

    /** The most redirect URIs one client may register. */
    public static final int MAX_REDIRECT_URIS = 10;
    /** The longest {@code client_name} accepted. */
    public static final int MAX_CLIENT_NAME = 200;

    private static final Set<GrantType> ALLOWED_GRANTS = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
    private static final Set<ClientAuthenticationMethod> ALLOWED_AUTH = Set.of(ClientAuthenticationMethod.NONE,
            ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
            ClientAuthenticationMethod.PRIVATE_KEY_JWT);

    private final AuthorizationServerSettings settings;
    private final ClientStore clients;
    private final Secrets secrets;
    private final AuditListener audit;
    private final boolean jwksUriAllowed;

    /** A registration endpoint saving to {@code clients}, refusing {@code jwks_uri}. */
    public RegistrationHandler(AuthorizationServerSettings settings, ClientStore clients, Secrets secrets,
            AuditListener audit) {
        this(settings, clients, secrets, audit, false);
    }

    /**
     * A registration endpoint saving to {@code clients}; {@code jwksUriAllowed} when the server can fetch a
     * {@code private_key_jwt} client's {@code jwks_uri} (a {@link ClientKeySource}).
     */
    public RegistrationHandler(AuthorizationServerSettings settings, ClientStore clients, Secrets secrets,
            AuditListener audit, boolean jwksUriAllowed) {
        this.jwksUriAllowed = jwksUriAllowed;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Handles one registration request; never throws. */
    public HTTPResponse handle(HTTPRequest request) {
        try {
            return register(request);
        } catch (RuntimeException | StackOverflowError e) {
            return ErrorResponses.of(e, request);
        }
    }

    private HTTPResponse register(HTTPRequest request) {
        if (request.getMethod() != HTTPRequest.Method.POST) {
            throw OAuthException.invalidRequest("Registration requires POST");
        }
        MetadataLimits.checkBodySize(request.getBody());
        JSONObject json;
        try {
            request.ensureEntityContentType(ContentType.APPLICATION_JSON);
            json = request.getBodyAsJSONObject();
        } catch (ParseException e) {
            throw OAuthException.invalidClientMetadata("The body must be a JSON object (application/json)");
        }
        MetadataLimits.check(json);
        if (json.containsKey("client_id") || json.containsKey("client_secret")) {
            throw OAuthException.invalidClientMetadata("client_id and client_secret are assigned by the server");
        }
        boolean machine = asksClientCredentials(json);
        if (machine && (!settings.dynamicMachineClients() || json.containsKey("redirect_uris"))) {
            throw OAuthException.invalidClientMetadata(settings.dynamicMachineClients()
                    ? "A client_credentials client has no redirect_uris"
                    : "This server does not register client_credentials clients dynamically");
        }
        List<URI> redirectUris = machine ? List.of() : ClientMetadataRules.redirectUris(json.get("redirect_uris"));
        ClientMetadata metadata;
        try {
            metadata = ClientMetadata.parse(json);
        } catch (ParseException e) {
            throw OAuthException.invalidClientMetadata(describe(e));
        } catch (RuntimeException e) {
            throw OAuthException.invalidClientMetadata("Malformed client metadata");
        }
        metadata.setRedirectionURIs(machine ? null : new LinkedHashSet<>(redirectUris));

        Set<GrantType> grantTypes = metadata.getGrantTypes() == null
                ? Set.of(GrantType.AUTHORIZATION_CODE) : Set.copyOf(metadata.getGrantTypes());
        if (machine) {
            checkMachineClient(metadata, grantTypes);
        } else if (!ALLOWED_GRANTS.containsAll(grantTypes) || !grantTypes.contains(GrantType.AUTHORIZATION_CODE)) {
            throw OAuthException.invalidClientMetadata(
                    "grant_types must be authorization_code, optionally with refresh_token");
        }
        if (!machine && metadata.getResponseTypes() != null
                && !metadata.getResponseTypes().equals(Set.of(ResponseType.CODE))) {
            throw OAuthException.invalidClientMetadata("response_types must be [code]");
        }
        ClientAuthenticationMethod method = metadata.getTokenEndpointAuthMethod() == null
                ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC : metadata.getTokenEndpointAuthMethod();
        if (!ALLOWED_AUTH.contains(method)) {
            throw OAuthException.invalidClientMetadata("token_endpoint_auth_method must be none, "
                    + "client_secret_basic, client_secret_post or private_key_jwt");
        }
        if (ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method)) {
            ClientMetadataRules.publicKeys(metadata, jwksUriAllowed);
        }
        ClientMetadataRules.requireHttpsUris(metadata);
        Optional<String> name = ClientMetadataRules.clientName(metadata, false);
        Set<String> scopes = ClientMetadataRules.knownScopes(metadata, settings.scopes());

        metadata.setGrantTypes(new LinkedHashSet<>(grantTypes));
        metadata.setResponseTypes(machine ? Set.of() : Set.of(ResponseType.CODE));
        metadata.setTokenEndpointAuthMethod(method);
        metadata.setScope(scopes.isEmpty() ? null : new Scope(scopes.toArray(String[]::new)));

        Instant now = settings.clock().instant();
        ClientID clientId = new ClientID(secrets.newId(18));
        Secret secret = ClientAuthenticationMethod.NONE.equals(method)
                || ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method) ? null : new Secret(secrets.newSecret());
        RegisteredClient client = new RegisteredClient(clientId,
                Optional.ofNullable(secret).map(s -> Secrets.hash(s.getValue())), method, redirectUris, grantTypes,
                scopes, name, metadata.toJSONObject().toJSONString(), now);
        clients.save(client);
        audit.onEvent(AuditEvent.of(AuditEvent.Type.CLIENT_REGISTERED, now, clientId.getValue(),
                "auth=" + method.getValue()));

        HTTPResponse response = new ClientInformationResponse(
                new ClientInformation(clientId, Date.from(now), metadata, secret), true).toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }

    /** Whether the raw {@code grant_types} names {@code client_credentials} (a machine client's registration). */
    private static boolean asksClientCredentials(JSONObject json) {
        return json.get("grant_types") instanceof List<?> grants
                && grants.contains(GrantType.CLIENT_CREDENTIALS.getValue());
    }

    /**
     * The policy for a machine client, registered only where {@link AuthorizationServerSettings#dynamicMachineClients}
     * allows it: {@code client_credentials} alone, no response types, a confidential authentication method.
     */
    private static void checkMachineClient(ClientMetadata metadata, Set<GrantType> grantTypes) {
        if (!grantTypes.equals(Set.of(GrantType.CLIENT_CREDENTIALS))) {
            throw OAuthException.invalidClientMetadata("grant_types must be [client_credentials] alone");
        }
        if (metadata.getResponseTypes() != null && !metadata.getResponseTypes().isEmpty()) {
            throw OAuthException.invalidClientMetadata("A client_credentials client has no response_types");
        }
        if (ClientAuthenticationMethod.NONE.equals(metadata.getTokenEndpointAuthMethod())) {
            throw OAuthException.invalidClientMetadata("A client_credentials client must be confidential");
        }
    }

    private static String describe(ParseException e) {
        String m = e.getMessage();
        if (m == null || m.length() > 200) {
            return "Malformed client metadata";
        }
        return m;
    }
}
