package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

class ClientDocumentsTest {

    private static final String ID = "https://app.example.com/oauth/client.json";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ClientDocuments documents = new ClientDocuments(Set.of("mcp", "files:read"));

    /** A valid document as a mutable map, so each test changes only what it needs. */
    static Map<String, Object> document(String clientId) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("client_id", clientId);
        doc.put("client_name", "Example MCP Client");
        doc.put("redirect_uris", List.of("http://127.0.0.1:3000/callback", "https://app.example.com/cb"));
        doc.put("grant_types", List.of("authorization_code"));
        doc.put("response_types", List.of("code"));
        doc.put("token_endpoint_auth_method", "none");
        return doc;
    }

    private RegisteredClient map(Map<String, Object> doc) {
        return documents.toClient(ClientIdUrl.parse(ID), new JSONObject(doc).toJSONString(), NOW);
    }

    private void assertRefused(Map<String, Object> doc, String reason) {
        assertThatThrownBy(() -> map(doc)).isInstanceOf(OAuthException.class).hasMessageContaining(reason);
    }

    @Test
    void whenDocumentIsValidThenItBecomesAPublicClient() {
        RegisteredClient client = map(document(ID));

        assertThat(client.clientId().getValue()).isEqualTo(ID);
        assertThat(client.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        assertThat(client.secretHash()).isEmpty();
        assertThat(client.redirectUris()).containsExactly(URI.create("http://127.0.0.1:3000/callback"),
                URI.create("https://app.example.com/cb"));
        assertThat(client.grantTypes()).containsExactly(GrantType.AUTHORIZATION_CODE);
        assertThat(client.scopes()).isEmpty();
        assertThat(client.clientName()).contains("Example MCP Client");
        assertThat(client.metadataJson()).contains("\"client_id\"");
        assertThat(client.issuedAt()).isEqualTo(NOW);
    }

    @Test
    void whenClientIdDiffersFromTheUrlInAnyCharacterThenRefused() {
        for (String other : List.of(ID + "/", "https://app.example.com:443/oauth/client.json",
                "https://APP.example.com/oauth/client.json", "https://app.example.com/oauth/Client.json",
                "https://evil.example/oauth/client.json")) {
            assertRefused(document(other), "client_id is not exactly the URL");
        }
        Map<String, Object> missing = document(ID);
        missing.remove("client_id");
        assertRefused(missing, "client_id is not exactly the URL");
        Map<String, Object> notAString = document(ID);
        notAString.put("client_id", List.of(ID));
        assertRefused(notAString, "client_id is not exactly the URL");
    }

    @Test
    void whenAuthMethodIsAbsentThenClientIsPublic() {
        Map<String, Object> doc = document(ID);
        doc.remove("token_endpoint_auth_method");

        assertThat(map(doc).authenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
    }

    @Test
    void whenAuthMethodIsASharedSecretOrUnsupportedThenRefused() {
        for (String method : List.of("client_secret_basic", "client_secret_post",
                "client_secret_jwt", "tls_client_auth")) {
            Map<String, Object> doc = document(ID);
            doc.put("token_endpoint_auth_method", method);
            assertRefused(doc, "token_endpoint_auth_method must be none or private_key_jwt");
        }
    }

    @Test
    void whenAuthMethodIsPrivateKeyJwtWithJwksThenTheClientAuthenticatesWithThoseKeys() {
        Map<String, Object> doc = document(ID);
        doc.put("token_endpoint_auth_method", "private_key_jwt");
        doc.put("jwks", io.github.mcpoauth.core.fixtures.TestAssertions.publicSet(
                io.github.mcpoauth.core.fixtures.TestAssertions.newEcKey()).toJSONObject());

        RegisteredClient client = map(doc);

        assertThat(client.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(client.isConfidential()).isTrue();
        assertThat(client.metadataJson()).contains("\"jwks\"");
    }

    @Test
    void whenAuthMethodIsPrivateKeyJwtWithJwksUriThenAcceptedAndNothingIsFetchedYet() {
        Map<String, Object> doc = document(ID);
        doc.put("token_endpoint_auth_method", "private_key_jwt");
        doc.put("jwks_uri", "https://app.example.com/jwks.json");

        RegisteredClient client = map(doc);

        assertThat(client.authenticationMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(client.metadataJson()).contains("\"jwks_uri\"");
    }

    @Test
    void whenAuthMethodIsPrivateKeyJwtWithoutKeysOrWithBothOrAnHttpJwksUriThenRefused() {
        Map<String, Object> none = document(ID);
        none.put("token_endpoint_auth_method", "private_key_jwt");
        assertRefused(none, "exactly one of jwks and jwks_uri");
        Map<String, Object> both = document(ID);
        both.put("token_endpoint_auth_method", "private_key_jwt");
        both.put("jwks_uri", "https://app.example.com/jwks.json");
        both.put("jwks", io.github.mcpoauth.core.fixtures.TestAssertions.publicSet(
                io.github.mcpoauth.core.fixtures.TestAssertions.newEcKey()).toJSONObject());
        assertRefused(both, "exactly one of jwks and jwks_uri");
        Map<String, Object> http = document(ID);
        http.put("token_endpoint_auth_method", "private_key_jwt");
        http.put("jwks_uri", "http://app.example.com/jwks.json");
        assertRefused(http, "jwks_uri must be an https URL");
    }

    @Test
    void whenDocumentCarriesAClientSecretThenRefused() {
        Map<String, Object> doc = document(ID);
        doc.put("client_secret", "s3cr3t-value");
        assertThatThrownBy(() -> map(doc)).hasMessageContaining("client_secret").hasMessageNotContaining("s3cr3t");
        Map<String, Object> expiry = document(ID);
        expiry.put("client_secret_expires_at", 0);
        assertRefused(expiry, "client_secret");
    }

    @Test
    void whenJwksHoldsAPrivateKeyThenRefused() {
        Map<String, Object> doc = document(ID);
        doc.put("jwks", Map.of("keys", List.of(Map.of("kty", "oct", "k", "c2VjcmV0LXNlY3JldC1zZWNyZXQ"))));

        assertRefused(doc, "private key material");
    }

    @Test
    void whenRedirectUrisAreMissingOrEmptyOrTooManyThenRefused() {
        Map<String, Object> missing = document(ID);
        missing.remove("redirect_uris");
        assertRefused(missing, "redirect_uris must be a non-empty array");
        Map<String, Object> empty = document(ID);
        empty.put("redirect_uris", List.of());
        assertRefused(empty, "redirect_uris must be a non-empty array");
        Map<String, Object> many = document(ID);
        many.put("redirect_uris", java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> "https://app.example.com/cb" + i).toList());
        assertRefused(many, "At most 10 redirect_uris");
    }

    @Test
    void whenARedirectUriIsDangerousThenRefused() {
        for (String uri : List.of("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                "file:///etc/passwd", "http://evil.example/cb", "https://app.example.com/cb#frag", "/relative", "")) {
            Map<String, Object> doc = document(ID);
            doc.put("redirect_uris", List.of(uri));
            assertRefused(doc, "redirect_uris are not acceptable");
        }
    }

    @Test
    void whenClientNameIsMissingBlankOrHugeThenRefused() {
        Map<String, Object> missing = document(ID);
        missing.remove("client_name");
        assertRefused(missing, "client_name is required");
        Map<String, Object> blank = document(ID);
        blank.put("client_name", "  ");
        assertRefused(blank, "client_name is required");
        Map<String, Object> huge = document(ID);
        huge.put("client_name", "x".repeat(201));
        assertRefused(huge, "client_name is required");
    }

    @Test
    void whenGrantTypesListOthersThenOnlySupportedOnesAreKept() {
        Map<String, Object> doc = document(ID);
        doc.put("grant_types", List.of("authorization_code", "refresh_token", "client_credentials", "implicit"));

        assertThat(map(doc).grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE,
                GrantType.REFRESH_TOKEN);
    }

    @Test
    void whenGrantTypesAreAbsentThenAuthorizationCodeOnly() {
        Map<String, Object> doc = document(ID);
        doc.remove("grant_types");

        assertThat(map(doc).grantTypes()).containsExactly(GrantType.AUTHORIZATION_CODE);
    }

    @Test
    void whenGrantTypesLackAuthorizationCodeThenRefused() {
        Map<String, Object> doc = document(ID);
        doc.put("grant_types", List.of("client_credentials"));

        assertRefused(doc, "grant_types must include authorization_code");
    }

    @Test
    void whenResponseTypesLackCodeThenRefused() {
        Map<String, Object> doc = document(ID);
        doc.put("response_types", List.of("token"));

        assertRefused(doc, "response_types must include code");
    }

    @Test
    void whenScopeIsListedThenOnlyServerScopesAreKept() {
        Map<String, Object> doc = document(ID);
        doc.put("scope", "mcp admin files:read");

        assertThat(map(doc).scopes()).containsExactlyInAnyOrder("mcp", "files:read");
    }

    @Test
    void whenAnInformationalUriIsNotHttpsThenRefused() {
        for (String field : List.of("client_uri", "logo_uri", "tos_uri", "policy_uri")) {
            Map<String, Object> doc = document(ID);
            doc.put(field, "http://app.example.com/x");
            assertRefused(doc, field + " must be an https URL");
        }
    }

    @Test
    void whenALanguageTaggedLogoUriIsHostileThenRefused() {
        // Nimbus itself refuses javascript: for client_uri, tos_uri and policy_uri, but not for logo_uri.
        Map<String, Object> doc = document(ID);
        doc.put("logo_uri#fr", "javascript:alert(1)");

        assertRefused(doc, "logo_uri must be an https URL");
    }

    @Test
    void whenALanguageTaggedInformationalUriIsNotHttpsThenRefused() {
        for (String field : List.of("client_uri", "logo_uri", "tos_uri", "policy_uri")) {
            Map<String, Object> doc = document(ID);
            doc.put(field + "#fr", "http://app.example.com/x");
            assertRefused(doc, field + " must be an https URL");
        }
    }

    @Test
    void whenALanguageTaggedClientNameIsBlankOrHugeThenRefused() {
        Map<String, Object> blank = document(ID);
        blank.put("client_name#fr", "  ");
        assertRefused(blank, "client_name");
        Map<String, Object> huge = document(ID);
        huge.put("client_name#en-GB", "x".repeat(201));
        assertRefused(huge, "client_name");
    }

    @Test
    void whenDocumentIsNotAJsonObjectThenRefused() {
        for (String body : List.of("[]", "\"text\"", "{", "<html></html>", "{\"a\":" + "[".repeat(2000))) {
            assertThatThrownBy(() -> documents.toClient(ClientIdUrl.parse(ID), body, NOW))
                    .hasMessageContaining("not a JSON object");
        }
    }
}
