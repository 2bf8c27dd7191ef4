package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.MachineClients;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestAssertions;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.List;
import java.util.Set;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client_credentials grant for machine clients an administrator registers through {@link MachineClients}. */
class ClientCredentialsGrantTest {

    private static final ClientID ID = new ClientID("billing-job");

    private TestServer server;
    private MachineClients admin;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        admin = server.server().machineClients();
    }

    private Requests.Form request(String secret) {
        return Requests.form(server.tokenUri()).basic(ID.getValue(), secret).param("grant_type", "client_credentials");
    }

    private static void assertError(HTTPResponse r, int status, String error) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(Responses.error(r)).isEqualTo(error);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenMachineClientAsksThenTokenHasClientAsSubjectAndNoRefreshToken() throws Exception {
        String secret = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        HTTPResponse r = server.token(request(secret));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        JSONObject json = Responses.json(r);
        assertThat(json).doesNotContainKey("refresh_token");
        assertThat(json.get("token_type")).isEqualTo("Bearer");
        assertThat(json.get("scope")).isEqualTo("mcp:read");
        SignedJWT jwt = SignedJWT.parse((String) json.get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("billing-job");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("billing-job");
        assertThat(jwt.getJWTClaimsSet().getAudience())
                .containsExactly(TestServer.RESOURCE.toString(), TestServer.OTHER_RESOURCE.toString());
        // Its grant is live: introspection (and the same-app guard's revocation check) call it active.
        RegisteredClient rs = server.save(TestClients.confidentialClient());
        HTTPResponse active = server.introspect(TestServer.authenticated(server.introspectionUri(), rs)
                .param("token", (String) json.get("access_token")));
        assertThat(Responses.json(active).get("active")).isEqualTo(true);
        assertThat(Responses.json(active).get("sub")).isEqualTo("billing-job");
    }

    @Test
    void whenResourceAndScopeAreRequestedThenTokenIsNarrowed() throws Exception {
        String secret = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read", "mcp:write"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        HTTPResponse r = server.token(request(secret).param("scope", "mcp:write")
                .param("resource", TestServer.OTHER_RESOURCE.toString()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse((String) Responses.json(r).get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TestServer.OTHER_RESOURCE.toString());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("mcp:write");
    }

    @Test
    void whenScopeIsNotAllowedToTheClientThenInvalidScope() {
        String secret = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        assertError(server.token(request(secret).param("scope", "mcp:admin")), 400, "invalid_scope");
    }

    @Test
    void whenResourceIsNotServedThenInvalidTarget() {
        String secret = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        assertError(server.token(request(secret).param("resource", "https://elsewhere.example/mcp")), 400,
                "invalid_target");
    }

    @Test
    void whenClientIsNotRegisteredForTheGrantThenUnauthorizedClient() {
        RegisteredClient web = server.save(TestClients.confidentialClient());
        RegisteredClient pub = server.save(TestClients.publicClient());

        assertError(server.token(TestServer.authenticated(server.tokenUri(), web)
                .param("grant_type", "client_credentials")), 400, "unauthorized_client");
        // A public client cannot use the grant at all (RFC 6749 §4.4): it is refused as unauthenticated.
        assertError(server.token(TestServer.authenticated(server.tokenUri(), pub)
                .param("grant_type", "client_credentials")), 401, "invalid_client");
    }

    @Test
    void whenSecretIsWrongThenInvalidClient() {
        admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"), ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        assertError(server.token(request("not-the-secret")), 401, "invalid_client");
    }

    @Test
    void whenSecretIsRotatedThenOnlyTheNewOneWorks() {
        String old = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        String fresh = admin.rotateSecret(ID);

        assertThat(fresh).isNotEqualTo(old);
        assertError(server.token(request(old)), 401, "invalid_client");
        assertThat(server.token(request(fresh)).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenClientIsDeletedThenItGetsNoMoreTokens() {
        String secret = admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

        assertThat(admin.delete(ID)).isTrue();

        assertError(server.token(request(secret)), 401, "invalid_client");
        assertThat(admin.find(ID)).isEmpty();
        assertThat(admin.delete(ID)).isFalse();
    }

    @Test
    void whenClientsAreListedThenOnlyMachineClientsAppearWithoutSecrets() {
        server.save(TestClients.publicClient());
        admin.registerWithSecret(ID, "Billing", Set.of("mcp:read"), ClientAuthenticationMethod.CLIENT_SECRET_POST);
        ECKey key = TestAssertions.newEcKey();
        admin.registerWithKeys(new ClientID("ci-agent"), "CI", Set.of(), TestAssertions.publicSet(key));

        List<RegisteredClient> listed = admin.list();

        assertThat(listed).extracting(c -> c.clientId().getValue()).containsExactly("billing-job", "ci-agent");
        assertThat(listed.get(1).authenticationMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(listed.get(1).grantTypes()).contains(GrantType.CLIENT_CREDENTIALS);
        assertThat(listed.get(1).metadataJson()).contains("\"jwks\"").doesNotContain("\"d\"");
        assertThat(listed.toString()).doesNotContain(listed.get(0).secretHash().orElseThrow());
    }

    @Test
    void whenRegistrationIsBadThenItFailsNamingTheField() {
        admin.registerWithSecret(ID, "Billing", Set.of(), ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        ECKey key = TestAssertions.newEcKey();

        assertThatThrownBy(() -> admin.registerWithSecret(ID, "Again", Set.of(),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC)).hasMessageContaining("clientId");
        assertThatThrownBy(() -> admin.registerWithSecret(new ClientID("https://x.example/c"), "Url", Set.of(),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC)).hasMessageContaining("clientId");
        assertThatThrownBy(() -> admin.registerWithSecret(new ClientID("x"), "None", Set.of(),
                ClientAuthenticationMethod.NONE)).hasMessageContaining("method");
        assertThatThrownBy(() -> admin.registerWithSecret(new ClientID("y"), "Scope", Set.of("nope"),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC)).hasMessageContaining("scopes");
        assertThatThrownBy(() -> admin.registerWithKeys(new ClientID("z"), "Private",
                Set.of(), new com.nimbusds.jose.jwk.JWKSet(key))).hasMessageContaining("publicKeys");
        assertThatThrownBy(() -> admin.rotateKeys(ID, TestAssertions.publicSet(key)))
                .hasMessageContaining("private_key_jwt");
    }
}
