package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.GrantType;
import io.github.mcpoauth.core.fixtures.AuthorizationParams;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SECURITY.md cases 1-8: validation of the authorization request. */
class AuthorizationEndpointTest {

    private TestServer server;
    private RegisteredClient client;
    private PkcePair pkce;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        pkce = PkcePair.random();
    }

    private AuthorizationOutcome validate(AuthorizationParams params) {
        return server.server().authorization().validate(params.build());
    }

    private AuthorizationParams valid() {
        return AuthorizationParams.valid(client, pkce);
    }

    private static void assertLocalError(AuthorizationOutcome outcome) {
        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LocalError.class);
        assertThat(((AuthorizationOutcome.LocalError) outcome).error().getHTTPStatusCode()).isEqualTo(400);
    }

    /** Asserts an error redirect to the client's redirect URI with {@code error}, one iss and the state. */
    private static URI assertErrorRedirect(AuthorizationOutcome outcome, String error, String state) {
        assertThat(outcome).isInstanceOf(AuthorizationOutcome.Redirect.class);
        AuthorizationOutcome.Redirect redirect = (AuthorizationOutcome.Redirect) outcome;
        assertThat(redirect.error()).isTrue();
        URI location = redirect.location();
        assertThat(location.toString()).startsWith(TestClients.REDIRECT_URI + "?");
        assertThat(Responses.queryParam(location, "error")).isEqualTo(error);
        assertThat(Responses.queryParam(location, "iss")).isEqualTo(TestServer.ISSUER);
        assertThat(Responses.queryParam(location, "state")).isEqualTo(state);
        assertThat(Responses.query(location)).doesNotContainKey("code");
        return location;
    }

    private ValidatedAuthorization assertValid(AuthorizationOutcome outcome) {
        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LoginRequired.class);
        return ((AuthorizationOutcome.LoginRequired) outcome).request();
    }

    // --- case 1: the client

    @Test
    void whenRequestIsValidThenItIsValidWithDefaults() {
        ValidatedAuthorization v = assertValid(validate(valid()));

        assertThat(v.client()).isEqualTo(client);
        assertThat(v.redirectUri()).isEqualTo(URI.create(TestClients.REDIRECT_URI));
        assertThat(v.requestedRedirectUri()).hasValue(URI.create(TestClients.REDIRECT_URI));
        assertThat(v.state()).hasValue("state-123");
        assertThat(v.scopes()).containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);
        assertThat(v.resources()).containsExactly(TestServer.RESOURCE);
        assertThat(v.codeChallenge()).isEqualTo(pkce.challenge());
        assertThat(v.clientDisplayName()).isEqualTo("Test App");
    }

    @Test
    void whenClientIdIsUnknownThenLocalError() {
        assertLocalError(validate(valid().set("client_id", "no-such-client")));
    }

    @Test
    void whenClientIdIsMissingOrEmptyThenLocalError() {
        assertLocalError(validate(valid().without("client_id")));
        assertLocalError(validate(valid().set("client_id", "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "   ", "\t", "\n"})
    void whenClientIdIsBlankThenLocalErrorNotAnException(String blank) {
        assertLocalError(validate(valid().set("client_id", blank)));
    }

    @Test
    void whenClientIdIsHugeThenLocalError() {
        assertLocalError(validate(valid().set("client_id", "x".repeat(100_000))));
    }

    @Test
    void whenNoParametersAtAllThenLocalError() {
        assertLocalError(validate(AuthorizationParams.empty()));
        assertLocalError(server.server().authorization().validate(null));
    }

    // --- case 2: the redirect URI

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/callback/extra", "https://app.example.com/callback?x=1",
        "https://app.example.com/callback/", "https://other.example.com/callback",
        "http://app.example.com/callback", "https://app.example.com:8443/callback",
        "https://app.example.com/callback#f", "https://evil.example.com/?https://app.example.com/callback",
        "javascript:alert(1)", "not a uri", " https://app.example.com/callback"})
    void whenRedirectUriIsNotAnExactMatchThenLocalError(String redirect) {
        assertLocalError(validate(valid().set("redirect_uri", redirect)));
    }

    @Test
    void whenRegisteredLoopbackRedirectThenAnyPortIsAcceptedAndUsed() {
        client = server.save(TestClients.publicClient().redirectUri("http://127.0.0.1/callback"));

        ValidatedAuthorization v = assertValid(validate(valid()
                .set("redirect_uri", "http://127.0.0.1:49152/callback")));

        assertThat(v.redirectUri()).isEqualTo(URI.create("http://127.0.0.1:49152/callback"));
        URI location = server.approve(valid().set("redirect_uri", "http://127.0.0.1:49152/callback"), "alice");
        assertThat(location.toString()).startsWith("http://127.0.0.1:49152/callback?");
    }

    @Test
    void whenLoopbackHostDiffersThenLocalError() {
        client = server.save(TestClients.publicClient().redirectUri("http://127.0.0.1/callback"));
        assertLocalError(validate(valid().set("redirect_uri", "http://localhost:5000/callback")));

        client = server.save(TestClients.publicClient().redirectUri("http://localhost/callback"));
        assertLocalError(validate(valid().set("redirect_uri", "http://127.0.0.1:5000/callback")));
        assertLocalError(validate(valid().set("redirect_uri", "http://localhost:5000/other")));
        assertLocalError(validate(valid().set("redirect_uri", "https://localhost:5000/callback")));
    }

    @Test
    void whenRedirectUriIsOmittedAndOneIsRegisteredThenItIsUsed() {
        ValidatedAuthorization v = assertValid(validate(valid().without("redirect_uri")));

        assertThat(v.redirectUri()).isEqualTo(URI.create(TestClients.REDIRECT_URI));
        assertThat(v.requestedRedirectUri()).isEmpty();
    }

    @Test
    void whenRedirectUriIsOmittedAndSeveralAreRegisteredThenLocalError() {
        client = server.save(TestClients.publicClient().redirectUris("https://app.example.com/a",
                "https://app.example.com/b"));

        assertLocalError(validate(valid().without("redirect_uri")));
        assertLocalError(validate(valid().set("redirect_uri", "")));
        assertValid(validate(valid().set("redirect_uri", "https://app.example.com/b")));
    }

    // --- case 6 (ambiguous client or redirect)

    @Test
    void whenClientIdOrRedirectUriIsSentTwiceThenLocalError() {
        assertLocalError(validate(valid().add("client_id", client.clientId().getValue())));
        assertLocalError(validate(valid().add("client_id", "other")));
        assertLocalError(validate(valid().add("redirect_uri", TestClients.REDIRECT_URI)));
        assertLocalError(validate(valid().add("redirect_uri", "https://evil.example.com/cb")));
    }

    // --- case 4: PKCE

    @Test
    void whenCodeChallengeIsMissingThenErrorRedirectInvalidRequest() {
        assertErrorRedirect(validate(valid().without("code_challenge")), "invalid_request", "state-123");
    }

    @Test
    void whenCodeChallengeMethodIsMissingThenErrorRedirectInvalidRequest() {
        assertErrorRedirect(validate(valid().without("code_challenge_method")), "invalid_request", "state-123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "s256", "S512", "SHA256", "none", " S256"})
    void whenCodeChallengeMethodIsNotS256ThenErrorRedirectInvalidRequest(String method) {
        assertErrorRedirect(validate(valid().set("code_challenge_method", method)), "invalid_request", "state-123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c+",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMx"})
    void whenCodeChallengeIsNot43Base64UrlCharactersThenErrorRedirectInvalidRequest(String challenge) {
        assertErrorRedirect(validate(valid().set("code_challenge", challenge)), "invalid_request", "state-123");
    }

    @Test
    void whenPlainChallengeWouldBeAVerifierThenStillRefusedWithoutS256() {
        String verifierLike = "a".repeat(43);

        assertErrorRedirect(validate(valid().set("code_challenge", verifierLike).set("code_challenge_method",
                "plain")), "invalid_request", "state-123");
    }

    // --- case 5: response_type

    @Test
    void whenResponseTypeIsMissingThenErrorRedirectInvalidRequest() {
        assertErrorRedirect(validate(valid().without("response_type")), "invalid_request", "state-123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "code token", "id_token", "code id_token", "CODE", "none", "code "})
    void whenResponseTypeIsNotCodeThenErrorRedirectUnsupportedResponseType(String type) {
        assertErrorRedirect(validate(valid().set("response_type", type)), "unsupported_response_type",
                "state-123");
    }

    @Test
    void whenResponseTypeIsWrongAndRedirectUriIsBadThenLocalErrorFirst() {
        assertLocalError(validate(valid().set("response_type", "token").set("redirect_uri",
                "https://evil.example.com/cb")));
        assertLocalError(validate(valid().without("response_type").set("client_id", "unknown")));
    }

    @Test
    void whenResponseModeIsNotQueryThenErrorRedirectInvalidRequest() {
        assertErrorRedirect(validate(valid().set("response_mode", "fragment")), "invalid_request", "state-123");
        assertErrorRedirect(validate(valid().set("response_mode", "form_post")), "invalid_request", "state-123");
        assertValid(validate(valid().set("response_mode", "query")));
    }

    @Test
    void whenRequestObjectsAreSentThenNotSupported() {
        assertErrorRedirect(validate(valid().set("request", "eyJhbGciOiJub25lIn0.e30.")), "request_not_supported",
                "state-123");
        assertErrorRedirect(validate(valid().set("request_uri", "urn:ietf:params:oauth:request_uri:x")),
                "request_uri_not_supported", "state-123");
    }

    @Test
    void whenClientMayNotUseTheCodeGrantThenUnauthorizedClient() {
        client = server.save(TestClients.publicClient().grantTypes(GrantType.REFRESH_TOKEN));

        assertErrorRedirect(validate(AuthorizationParams.valid(client, pkce)), "unauthorized_client", "state-123");
    }

    // --- case 6: duplicates, empty values, unknown parameters

    @ParameterizedTest
    @ValueSource(strings = {"response_type", "scope", "code_challenge", "code_challenge_method", "response_mode",
        "custom_unknown"})
    void whenAParameterIsSentTwiceThenErrorRedirectInvalidRequest(String name) {
        AuthorizationParams p = valid().set(name, name.equals("response_mode") ? "query" : "x").add(name, "y");

        assertErrorRedirect(validate(p), "invalid_request", "state-123");
    }

    @Test
    void whenStateIsSentTwiceThenErrorRedirectWithoutState() {
        assertErrorRedirect(validate(valid().add("state", "other")), "invalid_request", null);
    }

    @Test
    void whenStateIsTooLongThenErrorRedirectWithoutIt() {
        assertErrorRedirect(validate(valid().set("state", "s".repeat(5000))), "invalid_request", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "  ", "\t"})
    void whenStateIsBlankThenAnErrorRedirectNotAnException(String blank) {
        AuthorizationOutcome outcome = validate(valid().set("state", blank));

        assertErrorRedirect(outcome, "invalid_request", null);
    }

    @Test
    void whenStateHasSpecialCharactersThenItIsEchoedEncoded() {
        String state = "a b&c=d?e#f/\u00e9\"<>";
        URI location = server.approve(valid().set("state", state), "alice");

        assertThat(Responses.queryParam(location, "state")).isEqualTo(state);
        assertThat(location.getRawQuery()).doesNotContain(" ").doesNotContain("#").doesNotContain("<");
    }

    @Test
    void whenAValueIsEmptyThenItCountsAsAbsent() {
        ValidatedAuthorization v = assertValid(validate(valid().set("scope", "").set("state", "")
                .set("resource", "").set("response_mode", "").add("code_challenge", "")));

        assertThat(v.scopes()).containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);
        assertThat(v.state()).isEmpty();
        assertThat(v.resources()).containsExactly(TestServer.RESOURCE);
        assertErrorRedirect(validate(valid().set("code_challenge", "")), "invalid_request", "state-123");
    }

    @Test
    void whenUnknownParametersAreSentThenTheyAreIgnored() {
        assertValid(validate(valid().set("prompt", "consent").set("nonce", "n").set("x-custom", "\u0000junk")));
    }

    // --- case 7: resource

    @ParameterizedTest
    @ValueSource(strings = {"/mcp", "mcp.example.com/mcp", "https://mcp.example.com/mcp#frag",
        "https://mcp.example.com/other", "https://mcp.example.com/mcp/", "https://evil.example.com/mcp",
        "https://mcp.example.com/mcp?x=1", "urn:example:mcp", "not a uri", "mcp"})
    void whenResourceIsRelativeWithFragmentOrUnknownThenErrorRedirectInvalidTarget(String resource) {
        assertErrorRedirect(validate(valid().set("resource", resource)), "invalid_target", "state-123");
    }

    @Test
    void whenOneOfSeveralResourcesIsUnknownThenInvalidTarget() {
        assertErrorRedirect(validate(valid().set("resource", TestServer.RESOURCE.toString())
                .add("resource", "https://evil.example.com/mcp")), "invalid_target", "state-123");
    }

    @Test
    void whenSeveralKnownResourcesAreRequestedThenAllAreKeptOnce() {
        ValidatedAuthorization v = assertValid(validate(valid().set("resource", TestServer.OTHER_RESOURCE.toString())
                .add("resource", TestServer.RESOURCE.toString())
                .add("resource", TestServer.OTHER_RESOURCE.toString())));

        assertThat(v.resources()).containsExactly(TestServer.OTHER_RESOURCE, TestServer.RESOURCE);
    }

    @Test
    void whenResourceDiffersOnlyInHostCaseThenTheConfiguredSpellingIsUsed() {
        ValidatedAuthorization v = assertValid(validate(valid().set("resource", "HTTPS://MCP.Example.com/mcp")));

        assertThat(v.resources()).hasSize(1);
        assertThat(v.resources().get(0)).hasToString(TestServer.RESOURCE.toString());
    }

    // --- scope

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "mcp:read unknown", "MCP:READ", "mcp:read\tmcp:write", "a\"b", "\\",
        "mcp:read,mcp:write"})
    void whenScopeIsUnknownThenErrorRedirectInvalidScope(String scope) {
        assertErrorRedirect(validate(valid().set("scope", scope)), "invalid_scope", "state-123");
    }

    @Test
    void whenScopeIsOutsideTheClientsScopesThenInvalidScope() {
        client = server.save(TestClients.publicClient().scopes("mcp:read"));

        assertErrorRedirect(validate(AuthorizationParams.valid(client, pkce).set("scope", "mcp:admin")),
                "invalid_scope", "state-123");
        assertThat(assertValid(validate(AuthorizationParams.valid(client, pkce))).scopes())
                .containsExactly("mcp:read");
    }

    @Test
    void whenScopesAreKnownThenTheyAreKeptWithExtraSpacesIgnored() {
        assertThat(assertValid(validate(valid().set("scope", " mcp:admin  mcp:read "))).scopes())
                .containsExactlyInAnyOrder("mcp:admin", "mcp:read");
    }

    @Test
    void whenScopeIsOnlySpacesThenDefaults() {
        assertThat(assertValid(validate(valid().set("scope", "   "))).scopes())
                .containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);
    }

    // --- case 8: iss

    @Test
    void whenRegisteredRedirectHasAQueryThenItIsKeptAndIssAppearsOnce() {
        client = server.save(TestClients.publicClient().redirectUri("https://app.example.com/cb?tenant=a"));

        URI location = server.approve(AuthorizationParams.valid(client, pkce), "alice");
        Map<String, List<String>> q = Responses.query(location);

        assertThat(q.get("tenant")).containsExactly("a");
        assertThat(q.get("iss")).containsExactly(TestServer.ISSUER);
        assertThat(q.get("code")).hasSize(1);
        assertThat(q.get("state")).containsExactly("state-123");
    }

    @Test
    void whenErrorDescriptionIsSentThenItNeverEchoesTheChallenge() {
        URI location = assertErrorRedirect(validate(valid().set("code_challenge_method", "plain")), "invalid_request",
                "state-123");

        assertThat(location.toString()).doesNotContain(pkce.challenge());
    }
}
