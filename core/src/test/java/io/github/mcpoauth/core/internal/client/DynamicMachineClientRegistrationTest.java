package io.github.mcpoauth.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.RegisteredClient;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dynamic registration (RFC 7591) of confidential {@code client_credentials} clients, allowed only by
 * {@link AuthorizationServerSettings.Builder#dynamicMachineClients(boolean)} (security case M9).
 */
class DynamicMachineClientRegistrationTest {

    private static final String MACHINE = "{\"grant_types\":[\"client_credentials\"],\"client_name\":\"Nightly job\","
            + "\"scope\":\"mcp:read unknown\"}";

    private static TestServer server(boolean allowed) {
        return TestServer.builder().settings(s -> s.dynamicMachineClients(allowed)).build();
    }

    private static HTTPResponse register(TestServer server, String json) {
        return server.server().registration().handle(Requests.json(server.registrationUri(), json));
    }

    private static void assertRefused(TestServer server, HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_client_metadata");
        assertThat(server.stores().clients().findAll()).isEmpty();
    }

    @Test
    void whenSettingIsNotGivenThenItIsOff() {
        assertThat(AuthorizationServerSettings.builder().issuer("https://as.example.com").build()
                .dynamicMachineClients()).isFalse();
    }

    @Test
    void whenSettingIsOffThenClientCredentialsRegistrationIsRefusedAndNothingStored() {
        TestServer server = server(false);

        assertRefused(server, register(server, MACHINE));
        assertRefused(server, register(server, "{\"grant_types\":[\"authorization_code\",\"client_credentials\"],"
                + "\"redirect_uris\":[\"https://app.example.com/cb\"]}"));
    }

    @Test
    void whenSettingIsOnThenMachineClientRegistersAndGetsTokensAsItself() throws Exception {
        TestServer server = server(true);

        HTTPResponse r = register(server, MACHINE);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        JSONObject json = Responses.json(r);
        String id = (String) json.get("client_id");
        String secret = (String) json.get("client_secret");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(json).containsEntry("token_endpoint_auth_method", "client_secret_basic")
                .containsEntry("scope", "mcp:read").doesNotContainKey("redirect_uris");
        RegisteredClient stored = server.stores().clients().findById(new ClientID(id)).orElseThrow();
        assertThat(stored.grantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
        assertThat(stored.redirectUris()).isEmpty();
        assertThat(stored.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        HTTPResponse token = server.token(Requests.form(server.tokenUri()).basic(id, secret)
                .param("grant_type", "client_credentials"));
        assertThat(token.getStatusCode()).as(token.getBody()).isEqualTo(200);
        JSONObject tokens = Responses.json(token);
        assertThat(tokens).doesNotContainKey("refresh_token").containsEntry("scope", "mcp:read");
        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getSubject()).isEqualTo(id);
        // It has no redirect URI and no authorization_code grant: no user can be sent through it.
        HTTPResponse code = server.token(Requests.form(server.tokenUri()).basic(id, secret)
                .param("grant_type", "authorization_code").param("code", "x").param("code_verifier",
                        "0123456789012345678901234567890123456789abc"));
        assertThat(code.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(code)).isIn("unauthorized_client", "invalid_grant");
    }

    @Test
    void whenSettingIsOnThenClientSecretPostIsAccepted() {
        TestServer server = server(true);

        HTTPResponse r = register(server, "{\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_post\"}");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(Responses.json(r)).containsKey("client_secret");
    }

    @Test
    void whenPrivateKeyJwtClientRegistersThenNoSecretAndJwksUriOnlyWhereTheServerCanFetchIt() {
        TestServer server = server(true); // client ID metadata documents off: no fetcher for a jwks_uri
        String jwks = io.github.mcpoauth.core.fixtures.TestAssertions.publicSet(
                io.github.mcpoauth.core.fixtures.TestAssertions.newEcKey()).toString();

        HTTPResponse inline = register(server, "{\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}");
        assertThat(inline.getStatusCode()).as(inline.getBody()).isEqualTo(201);
        assertThat(Responses.json(inline)).doesNotContainKey("client_secret");

        HTTPResponse uri = register(server, "{\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"https://ci.example.com/jwks\"}");
        assertThat(uri.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(uri)).isEqualTo("invalid_client_metadata");
        assertThat(server.stores().clients().findAll()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"none\"}",
        "{\"grant_types\":[\"client_credentials\"],\"redirect_uris\":[\"https://app.example.com/cb\"]}",
        "{\"grant_types\":[\"client_credentials\",\"authorization_code\"],"
                + "\"redirect_uris\":[\"https://app.example.com/cb\"]}",
        "{\"grant_types\":[\"client_credentials\",\"refresh_token\"]}",
        "{\"grant_types\":[\"client_credentials\"],\"response_types\":[\"code\"]}",
        "{\"grant_types\":[\"client_credentials\"],\"client_secret\":\"mine\"}"
    })
    void whenSettingIsOnThenPublicRedirectingOrMixedMachineClientIsRefused(String json) {
        TestServer server = server(true);

        assertRefused(server, register(server, json));
    }
}
