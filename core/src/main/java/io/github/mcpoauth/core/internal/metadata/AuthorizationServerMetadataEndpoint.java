package io.github.mcpoauth.core.internal.metadata;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.GrantType;
import io.github.mcpoauth.core.internal.client.PrivateKeyJwtVerifier;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The authorization server metadata document (RFC 8414 §2), served at
 * {@code /.well-known/oauth-authorization-server} (with the issuer's path inserted after it, RFC 8414 §3.1) and,
 * for clients that look there first, at {@code /.well-known/openid-configuration}; and the JWK Set document
 * (RFC 7517 §5) at the {@code jwks_uri} it names.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3</a>
 */
public final class AuthorizationServerMetadataEndpoint {

    private final AuthorizationServerSettings settings;
    private final SigningKeys keys;
    private final String document;

    /**
     * The metadata of the server {@code settings} describe, publishing {@code keys}, announcing
     * {@code client_id_metadata_document_supported} when {@code clientIdMetadataDocuments}.
     */
    public AuthorizationServerMetadataEndpoint(AuthorizationServerSettings settings, SigningKeys keys,
            boolean clientIdMetadataDocuments) {
        this(settings, keys, clientIdMetadataDocuments,
                List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
    }

    /** The same, announcing the token endpoint's {@code grantTypes}. */
    public AuthorizationServerMetadataEndpoint(AuthorizationServerSettings settings, SigningKeys keys,
            boolean clientIdMetadataDocuments, java.util.Collection<GrantType> grantTypes) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
        AuthorizationServerMetadata m = build(settings);
        m.setGrantTypes(grantTypes.stream().sorted(java.util.Comparator.comparing(GrantType::getValue)).toList());
        if (clientIdMetadataDocuments) {
            m.setCustomParameter("client_id_metadata_document_supported", true);
        }
        this.document = m.toJSONObject().toJSONString();
    }

    /** The metadata as JSON. */
    public String document() {
        return document;
    }

    /** The metadata response: 200, JSON, cacheable for five minutes. */
    public HTTPResponse metadata() {
        return json(document, "public, max-age=300");
    }

    /**
     * The JWK Set response with the public signing keys; cacheable for five minutes. Served from memory once the
     * keys are loaded, also through a key store outage; a node that could never read its keys answers 503
     * {@code temporarily_unavailable} with {@code Retry-After}, never 500.
     */
    public HTTPResponse jwks() {
        try {
            return json(keys.servedJwks().toString(true), "public, max-age=300");
        } catch (RuntimeException e) {
            return ErrorResponses.of(e, null);
        }
    }

    /** The well-known paths this metadata is served at (RFC 8414 §3.1; OpenID Connect Discovery §4). */
    public List<String> wellKnownPaths() {
        String issuerPath = settings.issuer().getRawPath() == null ? "" : settings.issuer().getRawPath();
        if (issuerPath.isEmpty()) {
            return List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration");
        }
        return List.of("/.well-known/oauth-authorization-server" + issuerPath,
                "/.well-known/openid-configuration" + issuerPath,
                issuerPath + "/.well-known/oauth-authorization-server",
                issuerPath + "/.well-known/openid-configuration");
    }

    private static HTTPResponse json(String body, String cacheControl) {
        HTTPResponse response = new HTTPResponse(HTTPResponse.SC_OK);
        response.setEntityContentType(ContentType.APPLICATION_JSON);
        response.setCacheControl(cacheControl);
        response.setBody(body);
        return response;
    }

    private static AuthorizationServerMetadata build(AuthorizationServerSettings s) {
        EndpointPaths p = s.paths();
        AuthorizationServerMetadata m = new AuthorizationServerMetadata(new Issuer(s.issuer()));
        m.setAuthorizationEndpointURI(s.endpoint(p.authorization()));
        m.setTokenEndpointURI(s.endpoint(p.token()));
        m.setRegistrationEndpointURI(s.endpoint(p.registration()));
        m.setRevocationEndpointURI(s.endpoint(p.revocation()));
        m.setIntrospectionEndpointURI(s.endpoint(p.introspection()));
        m.setJWKSetURI(s.endpoint(p.jwks()));
        m.setScopes(new Scope(s.scopes().stream().sorted().toArray(String[]::new)));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        List<ClientAuthenticationMethod> all = List.of(ClientAuthenticationMethod.NONE,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        m.setTokenEndpointAuthMethods(all);
        m.setTokenEndpointJWSAlgs(PrivateKeyJwtVerifier.ALGORITHMS);
        m.setRevocationEndpointAuthMethods(all);
        m.setRevocationEndpointJWSAlgs(PrivateKeyJwtVerifier.ALGORITHMS);
        m.setIntrospectionEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT));
        m.setIntrospectionEndpointJWSAlgs(PrivateKeyJwtVerifier.ALGORITHMS);
        m.setSupportsAuthorizationResponseIssuerParam(true);
        s.dpop().ifPresent(d -> m.setDPoPJWSAlgs(List.copyOf(d.algorithms())));
        m.setCustomParameter("resource_indicators_supported", true);
        m.setCustomParameter("protected_resources",
                s.resources().stream().map(URI::toString).toList());
        return m;
    }
}
