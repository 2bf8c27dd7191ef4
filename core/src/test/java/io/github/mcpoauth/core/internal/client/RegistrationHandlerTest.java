package io.github.mcpoauth.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.util.stream.IntStream;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationHandlerTest {

    private TestServer server;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
    }

    private HTTPResponse register(String json) {
        return server.server().registration().handle(Requests.json(server.registrationUri(), json));
    }

    private static String withRedirects(String... uris) {
        JSONArray a = new JSONArray();
        for (String u : uris) {
            a.add(u);
        }
        return "{\"redirect_uris\":" + a.toJSONString() + "}";
    }

    private void assertError(HTTPResponse r, String code) {
        String body = r.getBody() == null ? "" : r.getBody();
        String shown = body.length() > 300 ? body.substring(0, 300) : body;
        assertThat(r.getStatusCode()).as(shown).isEqualTo(400);
        assertThat(Responses.error(r)).as(shown).isEqualTo(code);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    @SuppressWarnings("unchecked")
    void whenPublicClientRegistersThen201WithoutSecretAndStored() {
        HTTPResponse r = register("{\"redirect_uris\":[\"http://127.0.0.1:33418/callback\"],"
                + "\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Claude\","
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                + "\"scope\":\"mcp:read unknown:scope\"}");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getPragma()).isEqualTo("no-cache");
        JSONObject json = Responses.json(r);
        assertThat(json).containsKey("client_id").containsKey("client_id_issued_at")
                .doesNotContainKey("client_secret").doesNotContainKey("client_secret_expires_at")
                .containsEntry("token_endpoint_auth_method", "none").containsEntry("client_name", "Claude")
                .containsEntry("scope", "mcp:read");
        assertThat(((java.util.List<Object>) json.get("redirect_uris")))
                .containsExactly("http://127.0.0.1:33418/callback");

        RegisteredClient stored = server.stores().clients().findById(new ClientID((String) json.get("client_id")))
                .orElseThrow();
        assertThat(stored.isConfidential()).isFalse();
        assertThat(stored.secretHash()).isEmpty();
        assertThat(stored.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        assertThat(stored.redirectUris()).containsExactly(URI.create("http://127.0.0.1:33418/callback"));
        assertThat(stored.grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE,
                GrantType.REFRESH_TOKEN);
        assertThat(stored.scopes()).containsExactly("mcp:read");
        assertThat(stored.clientName()).hasValue("Claude");
        assertThat(server.audit().events(AuditEvent.Type.CLIENT_REGISTERED)).hasSize(1);
    }

    @Test
    void whenConfidentialClientRegistersThenSecretIsReturnedOnceAndStoredOnlyAsHash() {
        HTTPResponse r = register(withRedirects("https://app.example.com/cb"));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        JSONObject json = Responses.json(r);
        String secret = (String) json.get("client_secret");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(json).containsEntry("token_endpoint_auth_method", "client_secret_basic")
                .containsEntry("client_secret_expires_at", 0L);

        RegisteredClient stored = server.stores().clients().findById(new ClientID((String) json.get("client_id")))
                .orElseThrow();
        assertThat(stored.secretHash()).hasValue(Secrets.hash(secret));
        assertThat(stored.secretHash().get()).isNotEqualTo(secret);
        assertThat(stored.metadataJson()).doesNotContain(secret);
        assertThat(stored.toString()).doesNotContain(secret).doesNotContain(stored.secretHash().get());
        assertThat(stored.grantTypes()).containsExactly(GrantType.AUTHORIZATION_CODE);
        assertThat(server.audit().events().toString()).doesNotContain(secret);
    }

    @Test
    void whenClientSecretPostIsAskedThenItIsRegistered() {
        HTTPResponse r = register("{\"redirect_uris\":[\"https://app.example.com/cb\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_post\"}");

        assertThat(r.getStatusCode()).isEqualTo(201);
        assertThat(Responses.json(r)).containsKey("client_secret")
                .containsEntry("token_endpoint_auth_method", "client_secret_post");
    }

    @Test
    void whenTwoClientsRegisterThenTheirIdsAndSecretsDiffer() {
        JSONObject a = Responses.json(register(withRedirects("https://app.example.com/cb")));
        JSONObject b = Responses.json(register(withRedirects("https://app.example.com/cb")));

        assertThat(a.get("client_id")).isNotEqualTo(b.get("client_id"));
        assertThat(a.get("client_secret")).isNotEqualTo(b.get("client_secret"));
    }

    @Test
    void whenRedirectUrisRepeatThenTheyAreStoredOnce() {
        HTTPResponse r = register(withRedirects("https://app.example.com/cb", "https://app.example.com/cb"));

        assertThat(r.getStatusCode()).isEqualTo(201);
        assertThat((java.util.List<?>) Responses.json(r).get("redirect_uris")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
        "data:text/html,x", "Data:text/html,x", " data:text/html,x", "vbscript:x", "VBSCRIPT:x", " vbscript:x",
        "file:///etc/passwd", "File:///etc/passwd", " file:///etc/passwd", "https://app.example.com/cb#frag",
        "/relative/cb", "", "http://app.example.com/cb"})
    void whenAnyRedirectUriIsBadThenInvalidRedirectUriAndNothingIsStored(String bad) {
        HTTPResponse r = register(withRedirects("https://app.example.com/cb", bad));

        assertError(r, "invalid_redirect_uri");
        assertThat(server.audit().events(AuditEvent.Type.CLIENT_REGISTERED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb", "http://localhost:8080/cb", "http://127.0.0.1/cb",
        "http://[::1]/cb", "com.example.app:/oauth2redirect"})
    void whenRedirectUriIsAllowedThenRegistrationSucceeds(String uri) {
        assertThat(register("{\"redirect_uris\":[\"" + uri + "\"],\"token_endpoint_auth_method\":\"none\"}")
                .getStatusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"redirect_uris\":[]}", "{\"redirect_uris\":null}",
        "{\"redirect_uris\":\"https://app.example.com/cb\"}", "{\"redirect_uris\":[42]}",
        "{\"redirect_uris\":[null]}", "{\"redirect_uris\":{}}"})
    void whenRedirectUrisAreMissingEmptyOrNotStringsThenInvalidRedirectUri(String json) {
        assertError(register(json), "invalid_redirect_uri");
    }

    @Test
    void whenMoreThanTenRedirectUrisThenInvalidRedirectUri() {
        String[] eleven = IntStream.range(0, 11).mapToObj(i -> "https://app.example.com/cb" + i)
                .toArray(String[]::new);

        assertError(register(withRedirects(eleven)), "invalid_redirect_uri");
        assertThat(register(withRedirects(java.util.Arrays.copyOf(eleven, 10))).getStatusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_uri", "logo_uri", "tos_uri", "policy_uri"})
    void whenAUiUriIsNotHttpsThenInvalidClientMetadata(String field) {
        for (String value : new String[] {"http://app.example.com/x", "javascript:alert(1)", "data:image/png,x",
            "/relative", "https:///nohost", "ftp://app.example.com/x"}) {
            HTTPResponse r = register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"" + field + "\":\""
                    + value + "\"}");
            assertThat(r.getStatusCode()).as(field + "=" + value).isEqualTo(400);
            assertThat(Responses.error(r)).as(field + "=" + value).isEqualTo("invalid_client_metadata");
        }
    }

    @Test
    void whenUiUrisAreHttpsThenTheyAreAccepted() {
        HTTPResponse r = register("{\"redirect_uris\":[\"https://app.example.com/cb\"],"
                + "\"client_uri\":\"https://app.example.com\",\"logo_uri\":\"https://app.example.com/logo.png\","
                + "\"tos_uri\":\"https://app.example.com/tos\",\"policy_uri\":\"https://app.example.com/privacy\"}");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"implicit\"]", "[\"password\"]", "[\"authorization_code\",\"implicit\"]",
        "[\"authorization_code\",\"password\"]", "[\"client_credentials\"]", "[\"refresh_token\"]",
        "[\"urn:ietf:params:oauth:grant-type:device_code\"]", "[\"authorization_code\",\"urn:x:custom\"]"})
    void whenGrantTypesAreNotCodeAndRefreshThenInvalidClientMetadata(String grants) {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"grant_types\":" + grants + "}"),
                "invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"token\"]", "[\"code\",\"token\"]", "[\"id_token\"]", "[\"code id_token\"]"})
    void whenResponseTypesAreNotCodeThenInvalidClientMetadata(String types) {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"response_types\":" + types
                + "}"), "invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"private_key_jwt", "client_secret_jwt", "tls_client_auth", "bogus"})
    void whenAuthMethodIsNotSupportedThenInvalidClientMetadata(String method) {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"token_endpoint_auth_method\":\""
                + method + "\"}"), "invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"client_id\":\"my-chosen-id\"", "\"client_secret\":\"my-secret\"",
        "\"client_id\":null"})
    void whenClientChoosesItsIdOrSecretThenInvalidClientMetadata(String member) {
        HTTPResponse r = register("{\"redirect_uris\":[\"https://app.example.com/cb\"]," + member + "}");

        assertError(r, "invalid_client_metadata");
        assertThat(server.stores().clients().findById(new ClientID("my-chosen-id"))).isEmpty();
    }

    @Test
    void whenClientNameIsHugeOrBlankThenInvalidClientMetadata() {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name\":\""
                + "x".repeat(1000) + "\"}"), "invalid_client_metadata");
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name\":\"   \"}"),
                "invalid_client_metadata");
        assertThat(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name\":\""
                + "x".repeat(200) + "\"}").getStatusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_uri#en", "logo_uri#de", "tos_uri#fr", "policy_uri#en-GB"})
    void whenALocalizedUiUriIsNotHttpsThenInvalidClientMetadata(String field) {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"" + field
                + "\":\"javascript:alert(1)\"}"), "invalid_client_metadata");
    }

    @Test
    void whenLocalizedClientNameIsHugeThenInvalidClientMetadata() {
        assertError(register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name#en\":\""
                + "x".repeat(1000) + "\"}"), "invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "[]", "[{\"redirect_uris\":[\"https://a.example/cb\"]}]", "null",
        "42", "\"string\"", "{\"redirect_uris\":[\"https://a.example/cb\"],}", "{\"grant_types\":5,"
            + "\"redirect_uris\":[\"https://a.example/cb\"]}", "{\"redirect_uris\":[\"https://a.example/cb\"],"
            + "\"client_name\":42}", "{\"redirect_uris\":[\"https://a.example/cb\"],\"scope\":[1]}",
        "{\"redirect_uris\":[\"https://a.example/cb\"],\"jwks\":\"x\"}",
        "{\"redirect_uris\":[\"https://a.example/cb\"],\"contacts\":{\"a\":1}}"})
    void whenBodyIsMalformedThen400NotServerError(String body) {
        HTTPResponse r = register(body);

        assertThat(r.getStatusCode()).as(body + " -> " + r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isIn("invalid_client_metadata", "invalid_redirect_uri", "invalid_request");
    }

    @Test
    void whenJsonIsDeeplyNestedThen400NotServerError() {
        String nested = "[".repeat(8000) + "]".repeat(8000); // as deep as fits under the 16 KiB body cap
        HTTPResponse r = register("{\"redirect_uris\":[\"https://a.example/cb\"],\"x\":" + nested + "}");

        assertThat(r.getStatusCode()).isEqualTo(400);
    }

    @Test
    void whenContentTypeIsNotJsonThen400() {
        HTTPRequest form = Requests.raw(HTTPRequest.Method.POST, server.registrationUri(),
                ContentType.APPLICATION_URLENCODED, "redirect_uris=https%3A%2F%2Fa.example%2Fcb");
        HTTPRequest none = Requests.raw(HTTPRequest.Method.POST, server.registrationUri(), null,
                withRedirects("https://a.example/cb"));
        HTTPRequest text = Requests.raw(HTTPRequest.Method.POST, server.registrationUri(), ContentType.TEXT_PLAIN,
                withRedirects("https://a.example/cb"));

        for (HTTPRequest request : new HTTPRequest[] {form, none, text}) {
            HTTPResponse r = server.server().registration().handle(request);
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(r.getCacheControl()).isEqualTo("no-store");
        }
    }

    @Test
    void whenMethodIsNotPostThen400InvalidRequest() {
        for (HTTPRequest.Method m : new HTTPRequest.Method[] {HTTPRequest.Method.GET, HTTPRequest.Method.PUT,
            HTTPRequest.Method.DELETE}) {
            HTTPResponse r = server.server().registration().handle(Requests.raw(m, server.registrationUri(),
                    ContentType.APPLICATION_JSON, withRedirects("https://a.example/cb")));
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(Responses.error(r)).isEqualTo("invalid_request");
        }
    }

    @Test
    void whenRegistrationFailsThenTheDescriptionDoesNotEchoTheBody() {
        String marker = "MARKER" + "z".repeat(10);
        HTTPResponse r = register("{\"redirect_uris\":[\"https://a.example/cb\"],\"grant_types\":[\"" + marker
                + "\"]}");

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).doesNotContain(marker);
    }

    @Test
    void whenManyFieldsAreJunkThenNeverServerError() {
        String[] junk = {"\"\\u0000\"", "\"\\ud800\"", "1e999", "-1", "true", "{}", "[[]]", "\"" + "%".repeat(5000)
            + "\""};
        String[] fields = {"redirect_uris", "grant_types", "response_types", "token_endpoint_auth_method",
            "client_name", "client_uri", "logo_uri", "scope", "contacts", "tos_uri", "policy_uri", "jwks_uri",
            "jwks", "software_id", "software_version", "software_statement"};
        for (String field : fields) {
            for (String value : junk) {
                String body = "{\"redirect_uris\":[\"https://a.example/cb\"],\"" + field + "\":" + value + "}";
                HTTPResponse r = register(body);
                assertThat(r.getStatusCode()).as(body).isIn(201, 400);
            }
        }
    }

    @Test
    void whenBodyIsOverTheSizeCapThen413BeforeParsing() {
        HTTPResponse r = register("{\"client_name\":\"" + "x".repeat(MetadataLimits.MAX_BODY) + "\"}");

        assertThat(r.getStatusCode()).isEqualTo(413);
        assertThat(Responses.error(r)).isEqualTo("invalid_request");
    }

    @Test
    void whenMetadataHasTooManyFieldsOrLongStringsOrLongArraysThenInvalidClientMetadata() {
        StringBuilder fields = new StringBuilder("{\"redirect_uris\":[\"https://app.example/cb\"]");
        for (int i = 0; i < MetadataLimits.MAX_FIELDS; i++) {
            fields.append(",\"x_").append(i).append("\":1");
        }
        String longString = withRedirects("https://app.example/cb").replace("}",
                ",\"client_uri\":\"https://app.example/" + "a".repeat(MetadataLimits.MAX_STRING) + "\"}");
        String longArray = withRedirects("https://app.example/cb").replace("}",
                ",\"contacts\":[" + "\"a@b.example\",".repeat(MetadataLimits.MAX_ARRAY) + "\"a@b.example\"]}");

        assertError(register(fields.append("}").toString()), "invalid_client_metadata");
        assertError(register(longString), "invalid_client_metadata");
        assertError(register(longArray), "invalid_client_metadata");
    }
}
