package io.github.mcpoauth.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import java.util.List;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

/** RFC 8414 metadata with everything the MCP authorization spec needs; SECURITY.md case 8. */
class AuthorizationServerMetadataEndpointTest {

    private final TestServer server = TestServer.create();
    private final AuthorizationServerMetadataEndpoint endpoint = server.server().metadata();

    private JSONObject document() {
        return Responses.json(endpoint.metadata());
    }

    @Test
    void whenServedThenEveryFieldMcpAndRfc8414NeedIsThere() {
        JSONObject m = document();

        assertThat(m).containsEntry("issuer", TestServer.ISSUER)
                .containsEntry("authorization_endpoint", TestServer.ISSUER + "/oauth2/authorize")
                .containsEntry("token_endpoint", TestServer.ISSUER + "/oauth2/token")
                .containsEntry("registration_endpoint", TestServer.ISSUER + "/oauth2/register")
                .containsEntry("revocation_endpoint", TestServer.ISSUER + "/oauth2/revoke")
                .containsEntry("introspection_endpoint", TestServer.ISSUER + "/oauth2/introspect")
                .containsEntry("jwks_uri", TestServer.ISSUER + "/oauth2/jwks")
                .containsEntry("authorization_response_iss_parameter_supported", true);
        assertThat(m.get("response_types_supported")).isEqualTo(List.of("code"));
        assertThat(m.get("response_modes_supported")).isEqualTo(List.of("query"));
        assertThat(m.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
        assertThat(m.get("grant_types_supported"))
                .isEqualTo(List.of("authorization_code", "client_credentials", "refresh_token"));
        assertThat(m.get("token_endpoint_auth_methods_supported"))
                .isEqualTo(List.of("none", "client_secret_basic", "client_secret_post", "private_key_jwt"));
        assertThat(m.get("token_endpoint_auth_signing_alg_values_supported"))
                .isEqualTo(List.of("ES256", "RS256", "PS256"));
        assertThat(m.get("revocation_endpoint_auth_methods_supported"))
                .isEqualTo(List.of("none", "client_secret_basic", "client_secret_post", "private_key_jwt"));
        assertThat(m.get("introspection_endpoint_auth_methods_supported"))
                .isEqualTo(List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        assertThat(m.get("scopes_supported")).isEqualTo(TestServer.SCOPES.stream().sorted().toList());
        assertThat(m.toJSONString()).doesNotContain("implicit").doesNotContain("password").doesNotContain("plain");
    }

    @Test
    void whenClientIdMetadataDocumentsAreOnOrOffThenTheDocumentSaysSo() {
        TestServer cimd = TestServer.builder().clientIdMetadataDocuments(true).build();

        assertThat(Responses.json(cimd.server().metadata().metadata()))
                .containsEntry("client_id_metadata_document_supported", true);
        assertThat(document()).doesNotContainKey("client_id_metadata_document_supported");
    }

    @Test
    void whenParsedByNimbusThenItIsValidRfc8414Metadata() throws Exception {
        AuthorizationServerMetadata parsed = AuthorizationServerMetadata.parse(endpoint.document());

        assertThat(parsed.getIssuer().getValue()).isEqualTo(TestServer.ISSUER);
        assertThat(parsed.supportsAuthorizationResponseIssuerParam()).isTrue();
    }

    @Test
    void whenServedThenJsonAndCacheable() {
        HTTPResponse r = endpoint.metadata();

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getEntityContentType().matches(ContentType.APPLICATION_JSON)).isTrue();
        assertThat(r.getCacheControl()).isEqualTo("public, max-age=300");
    }

    @Test
    void whenIssuerHasNoPathThenWellKnownPathsAreAtTheRoot() {
        assertThat(endpoint.wellKnownPaths()).containsExactly("/.well-known/oauth-authorization-server",
                "/.well-known/openid-configuration");
    }

    @Test
    void whenIssuerHasAPathThenItIsInsertedAfterWellKnown() {
        TestServer tenant = TestServer.builder().settings(s -> s.issuer("https://as.example.com/tenant/one")).build();
        AuthorizationServerMetadataEndpoint m = tenant.server().metadata();

        assertThat(m.wellKnownPaths()).first().isEqualTo("/.well-known/oauth-authorization-server/tenant/one");
        assertThat(m.wellKnownPaths()).contains("/tenant/one/.well-known/openid-configuration");
        assertThat(Responses.json(m.metadata())).containsEntry("issuer", "https://as.example.com/tenant/one")
                .containsEntry("token_endpoint", "https://as.example.com/tenant/one/oauth2/token");
    }

    @Test
    void whenPathsAreCustomThenTheDocumentNamesThem() {
        TestServer custom = TestServer.builder().settings(s -> s.paths(new EndpointPaths("/authorize", "/token",
                "/register", "/revoke", "/introspect", "/jwks.json"))).build();

        assertThat(Responses.json(custom.server().metadata().metadata()))
                .containsEntry("token_endpoint", TestServer.ISSUER + "/token")
                .containsEntry("jwks_uri", TestServer.ISSUER + "/jwks.json");
    }

    @Test
    void whenJwksIsServedThenItHasOnlyPublicSigningKeys() throws Exception {
        HTTPResponse r = endpoint.jwks();

        assertThat(r.getStatusCode()).isEqualTo(200);
        JWKSet set = JWKSet.parse(r.getBody());
        assertThat(set.getKeys()).hasSize(1);
        assertThat(set.getKeys().get(0).isPrivate()).isFalse();
        assertThat(set.getKeys().get(0).getKeyID()).isEqualTo(server.server().signingKeys().currentKey().getKeyID());
        assertThat(r.getBody()).doesNotContain("\"d\"");
        assertThat(set.getKeys().get(0).getKeyUse().identifier()).isEqualTo("sig");
        assertThat(set.getKeys().get(0).getAlgorithm().getName()).isEqualTo("ES256");
    }
}
