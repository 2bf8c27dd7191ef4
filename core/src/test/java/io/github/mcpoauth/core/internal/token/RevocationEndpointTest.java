package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.RegisteredClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SECURITY.md cases 20 and 21: RFC 7009 revocation. */
class RevocationEndpointTest {

    private TestServer server;
    private RegisteredClient client;
    private RegisteredClient resourceServer;
    private TokenSet tokens;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        resourceServer = server.save(TestClients.confidentialClient());
        tokens = server.tokens(client);
    }

    private HTTPResponse revoke(RegisteredClient by, String token) {
        return server.revoke(TestServer.authenticated(server.revocationUri(), by).param("token", token));
    }

    private boolean isActive(String token) {
        HTTPResponse r = server.introspect(TestServer.authenticated(server.introspectionUri(), resourceServer)
                .param("token", token));
        return Boolean.TRUE.equals(Responses.json(r).get("active"));
    }

    private static void assertOk(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenRefreshTokenIsRevokedThenItAndTheGrantsAccessTokensStopWorking() {
        TokenSet rotated = TokenSet.of(server.token(server.refresh(client, tokens.refreshToken())));
        assertThat(isActive(rotated.accessToken())).isTrue();

        assertOk(revoke(client, rotated.refreshToken()));

        assertThat(isActive(rotated.accessToken())).isFalse();
        assertThat(isActive(tokens.accessToken())).isFalse();
        assertThat(server.token(server.refresh(client, rotated.refreshToken())).getStatusCode()).isEqualTo(400);
        assertThat(server.audit().events(AuditEvent.Type.TOKEN_REVOKED)).hasSize(1);
    }

    @Test
    void whenAccessTokenIsRevokedThenTheWholeGrantIsRevoked() {
        assertOk(revoke(client, tokens.accessToken()));

        assertThat(isActive(tokens.accessToken())).isFalse();
        assertThat(server.token(server.refresh(client, tokens.refreshToken())).getStatusCode()).isEqualTo(400);
    }

    @Test
    void whenRevokedTwiceThen200BothTimes() {
        assertOk(revoke(client, tokens.refreshToken()));
        assertOk(revoke(client, tokens.refreshToken()));
        assertThat(server.audit().events(AuditEvent.Type.TOKEN_REVOKED)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "\u0000", "%", "x"})
    void whenTokenIsUnknownOrMalformedThen200(String token) {
        assertOk(revoke(client, token));
        assertThat(isActive(tokens.accessToken())).isTrue();
    }

    @Test
    void whenTokenIsHugeThen200OrInvalidRequestButNeverAServerError() {
        HTTPResponse r = revoke(client, "x".repeat(60_000));

        assertThat(r.getStatusCode()).isIn(200, 400);
    }

    @Test
    void whenAnotherClientRevokesTheTokenThen200ButNothingIsRevoked() {
        RegisteredClient other = server.save(TestClients.publicClient());

        assertOk(revoke(other, tokens.refreshToken()));
        assertOk(revoke(other, tokens.accessToken()));
        assertOk(revoke(resourceServer, tokens.accessToken()));

        assertThat(isActive(tokens.accessToken())).isTrue();
        assertThat(server.token(server.refresh(client, tokens.refreshToken())).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenConfidentialClientRevokesItsOwnTokenThenItIsRevoked() {
        TokenSet own = server.tokens(resourceServer);

        assertOk(revoke(resourceServer, own.refreshToken()));

        assertThat(isActive(own.accessToken())).isFalse();
    }

    @Test
    void whenTokenParameterIsMissingThenInvalidRequest() {
        HTTPResponse r = server.revoke(TestServer.authenticated(server.revocationUri(), client));

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_request");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenNoClientAuthenticationThen401AndNothingIsRevoked() {
        HTTPResponse r = server.revoke(Requests.form(server.revocationUri()).param("token", tokens.refreshToken()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(Responses.error(r)).isEqualTo("invalid_client");
        assertThat(isActive(tokens.accessToken())).isTrue();
    }

    @Test
    void whenClientSecretIsWrongThen401WithBasicChallenge() {
        TokenSet own = server.tokens(resourceServer);

        HTTPResponse r = server.revoke(Requests.form(server.revocationUri())
                .basic(resourceServer.clientId().getValue(), "wrong").param("token", own.refreshToken()));

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        assertThat(r.getBody()).doesNotContain(own.refreshToken());
        assertThat(isActive(own.accessToken())).isTrue();
    }

    @Test
    void whenClientIdIsUnknownThen401() {
        HTTPResponse r = server.revoke(Requests.form(server.revocationUri()).param("client_id", "nobody")
                .param("token", tokens.refreshToken()));

        assertThat(r.getStatusCode()).isEqualTo(401);
    }

    @Test
    void whenTokenTypeHintIsGivenOrWrongThenItDoesNotMatter() {
        assertOk(server.revoke(TestServer.authenticated(server.revocationUri(), client)
                .param("token", tokens.accessToken()).param("token_type_hint", "refresh_token")));
        assertThat(isActive(tokens.accessToken())).isFalse();

        TokenSet again = server.tokens(client);
        HTTPResponse r = server.revoke(TestServer.authenticated(server.revocationUri(), client)
                .param("token", again.refreshToken()).param("token_type_hint", "bogus"));
        assertThat(r.getStatusCode()).isIn(200, 400);
    }

    @Test
    void whenRequestIsNotAFormPostThenInvalidRequest() {
        HTTPResponse get = server.revoke(TestServer.authenticated(server.revocationUri(), client)
                .param("token", tokens.refreshToken()).method(HTTPRequest.Method.GET));
        HTTPResponse json = server.server().revocation().handle(Requests.json(server.revocationUri(),
                "{\"token\":\"" + tokens.refreshToken() + "\"}"));

        assertThat(get.getStatusCode()).isEqualTo(400);
        assertThat(json.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(json)).isEqualTo("invalid_request");
        assertThat(json.getBody()).doesNotContain(tokens.refreshToken());
        assertThat(isActive(tokens.accessToken())).isTrue();
    }

    @Test
    void whenTokenIsSentTwiceThenInvalidRequest() {
        HTTPResponse r = server.revoke(TestServer.authenticated(server.revocationUri(), client)
                .param("token", "a").param("token", tokens.refreshToken()));

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(isActive(tokens.accessToken())).isTrue();
    }

    @Test
    void whenTheHashOfTheRefreshTokenIsSentThenNothingIsRevoked() {
        assertOk(revoke(client, Secrets.hash(tokens.refreshToken())));

        assertThat(isActive(tokens.accessToken())).isTrue();
    }

    @Test
    void whenJunkIsSentThenNeverAServerError() {
        String[] junk = {"", " ", "\u0000", "\"", "\\", "%zz", "\r\n", "\ud800", "x".repeat(9000)};
        for (String name : new String[] {"token", "client_id", "client_secret", "token_type_hint"}) {
            for (String value : junk) {
                HTTPResponse r = server.revoke(TestServer.authenticated(server.revocationUri(), client)
                        .without(name).param(name, value));
                assertThat(r.getStatusCode()).as(name).isBetween(200, 499);
            }
        }
        HTTPResponse binary = server.server().revocation().handle(Requests.raw(HTTPRequest.Method.POST,
                server.revocationUri(), ContentType.APPLICATION_URLENCODED, "\u0000\u0001%%=&&"));
        assertThat(binary.getStatusCode()).isBetween(400, 499);
        assertThat(isActive(tokens.accessToken())).isTrue();
    }
}
