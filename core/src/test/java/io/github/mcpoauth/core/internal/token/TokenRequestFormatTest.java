package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SECURITY.md cases 6, 19 and 35 at the token endpoint: the shape of the request. */
class TokenRequestFormatTest {

    private TestServer server;
    private RegisteredClient client;
    private PkcePair pkce;
    private String code;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.confidentialClient());
        pkce = PkcePair.random();
        code = server.authorizeCode(client, pkce);
    }

    private Requests.Form redemption() {
        return server.redemption(client, code, pkce.verifier());
    }

    private static void assertError(HTTPResponse r, int status, String error) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(Responses.error(r)).isEqualTo(error);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getPragma()).isEqualTo("no-cache");
    }

    private void assertCodeStillRedeemable() {
        assertThat(server.token(redemption()).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void whenMethodIsNotPostThenInvalidRequest(String method) {
        assertError(server.token(redemption().method(HTTPRequest.Method.valueOf(method))), 400, "invalid_request");
        assertCodeStillRedeemable();
    }

    @Test
    void whenContentTypeIsNotFormThenInvalidRequest() {
        assertError(server.token(redemption().contentType(ContentType.APPLICATION_JSON)), 400, "invalid_request");
        assertError(server.token(redemption().contentType(ContentType.TEXT_PLAIN)), 400, "invalid_request");
        assertError(server.token(redemption().contentType(null)), 400, "invalid_request");
        assertCodeStillRedeemable();
    }

    @Test
    void whenBodyIsJsonThenInvalidRequest() {
        HTTPRequest json = Requests.json(server.tokenUri(), "{\"grant_type\":\"authorization_code\",\"code\":\""
                + code + "\"}");

        HTTPResponse r = server.token(json);

        assertError(r, 400, "invalid_request");
        assertThat(r.getBody()).doesNotContain(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type", "code", "code_verifier", "redirect_uri"})
    void whenAParameterIsSentTwiceThenInvalidRequestAndTheCodeStaysRedeemable(String name) {
        Requests.Form twice = redemption();
        String value = switch (name) {
            case "grant_type" -> "authorization_code";
            case "code" -> code;
            case "code_verifier" -> pkce.verifier();
            default -> TestClients.REDIRECT_URI;
        };

        assertError(server.token(twice.param(name, value)), 400, "invalid_request");
        assertCodeStillRedeemable();
    }

    @Test
    void whenAParameterIsInBothQueryAndBodyThenInvalidRequest() {
        assertError(server.token(redemption().query("code=" + code)), 400, "invalid_request");
        assertCodeStillRedeemable();
    }

    @Test
    void whenGrantTypeIsMissingThenInvalidRequest() {
        assertError(server.token(redemption().without("grant_type")), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "implicit", "foo", "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange",
        "AUTHORIZATION_CODE"})
    void whenGrantTypeIsNotSupportedThenUnsupportedGrantTypeOrInvalidRequest(String grantType) {
        HTTPResponse r = server.token(TestServer.authenticated(server.tokenUri(), client)
                .param("grant_type", grantType).param("username", "alice").param("password", "pw")
                .param("scope", "mcp:read").param("assertion", "x.y.z").param("device_code", "d")
                .param("subject_token", "t").param("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"));

        assertThat(r.getStatusCode()).as(grantType + " -> " + r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).as(grantType).isIn("unsupported_grant_type", "invalid_request");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenCodeIsMissingThenInvalidRequest() {
        assertError(server.token(redemption().without("code")), 400, "invalid_request");
    }

    @Test
    void whenErrorsHappenThenDescriptionsNeverEchoCodesVerifiersOrSecrets() {
        String[] secrets = {code, pkce.verifier(), TestClients.SECRET};
        HTTPResponse[] responses = {
            server.token(redemption().param("code", code)),
            server.token(server.redemption(client, code, pkce.verifier() + "x")),
            server.token(server.redemption(client, code + "x", pkce.verifier())),
            server.token(redemption().basic(client.clientId().getValue(), TestClients.SECRET + "x")),
            server.token(redemption().method(HTTPRequest.Method.GET)),
            server.token(redemption().param("client_secret", TestClients.SECRET)),
            server.token(redemption().param("resource", "https://" + code + ".example.com/")),
        };
        for (HTTPResponse r : responses) {
            assertThat(r.getStatusCode()).isBetween(400, 401);
            for (String s : secrets) {
                assertThat(r.getBody()).doesNotContain(s);
            }
        }
    }

    @Test
    void whenEveryParameterIsJunkThenNeverAServerErrorAndOtherGrantsAreUntouched() {
        RegisteredClient bystander = server.save(TestClients.publicClient());
        TestServer.TokenSet bystanderTokens = server.tokens(bystander);
        Random random = new Random(3);
        String[] names = {"grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret",
            "refresh_token", "scope", "resource", "client_assertion", "client_assertion_type"};
        String[] junk = {"", " ", "\u0000", "%", "\"", "\\", "a b", "\r\n", "\ud800", "x".repeat(10_000),
            "authorization_code", "refresh_token", "https://", "#", "urn:x", "..", "=&="};
        for (String name : names) {
            for (String value : junk) {
                assertNoServerError(server.token(redemption().without(name).param(name, value)), name, value);
                assertNoServerError(server.token(server.refresh(client, "r").without(name).param(name, value)), name,
                        value);
            }
        }
        for (int i = 0; i < 300; i++) {
            Requests.Form f = Requests.form(server.tokenUri());
            for (String name : names) {
                if (random.nextBoolean()) {
                    f.param(name, junk[random.nextInt(junk.length)]);
                }
            }
            if (random.nextBoolean()) {
                f.authorization(random.nextBoolean() ? "Basic " + junk[random.nextInt(junk.length)] : "Basic Og==");
            }
            assertNoServerError(server.token(f), "random", String.valueOf(i));
        }
        assertThat(server.token(server.refresh(bystander, bystanderTokens.refreshToken())).getStatusCode())
                .isEqualTo(200);
    }

    @Test
    void whenBodyHasThousandsOfParametersThenInvalidRequest() {
        HTTPResponse r = server.token(Requests.raw(HTTPRequest.Method.POST, server.tokenUri(),
                ContentType.APPLICATION_URLENCODED, "grant_type=authorization_code&" + "a=b&".repeat(50_000)));

        assertError(r, 400, "invalid_request");
        assertError(server.token(redemption().param("pad", "x".repeat(70_000))), 400, "invalid_request");
        assertCodeStillRedeemable();
    }

    @Test
    void whenBodyOrHeadersAreBinaryOrOddThenNeverAServerError() {
        HTTPRequest[] requests = {
            Requests.raw(HTTPRequest.Method.POST, server.tokenUri(), ContentType.APPLICATION_URLENCODED,
                    "\u0000\u0001\u0002\uFFFD%%%&&&==="),
            Requests.raw(HTTPRequest.Method.POST, server.tokenUri(), ContentType.APPLICATION_URLENCODED, ""),
            Requests.raw(HTTPRequest.Method.POST, server.tokenUri(), ContentType.APPLICATION_URLENCODED, null),
            Requests.raw(HTTPRequest.Method.POST, server.tokenUri(), ContentType.APPLICATION_URLENCODED,
                    "grant_type=authorization_code&" + "a=b&".repeat(20_000)),
            redemption().authorization("Basic").build(),
            redemption().authorization("Basic !!!").build(),
            redemption().authorization("Bearer abc").build(),
            redemption().authorization("Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()))
                    .build(),
            redemption().authorization("Basic " + java.util.Base64.getEncoder().encodeToString(":".getBytes()))
                    .build(),
            redemption().authorization("x".repeat(20_000)).build(),
        };
        for (HTTPRequest r : requests) {
            assertNoServerError(server.token(r), "request", r.getAuthorization());
        }
        assertCodeStillRedeemable();
    }

    private static void assertNoServerError(HTTPResponse r, String name, String value) {
        String shown = value == null ? "null" : value.length() > 40 ? value.substring(0, 40) : value;
        assertThat(r.getStatusCode()).as(name + "=" + shown + " -> " + r.getBody()).isBetween(200, 499);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }
}
