package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;

class ClientCredentialsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void whenSecretBasicThenIdAndSecretAreFormEncodedBeforeBase64() {
        Map<String, String> form = new HashMap<>();
        Map<String, String> headers = new HashMap<>();
        ClientCredentials.secretBasic("id:1", "p@ss word").apply("https://as", URI.create("https://as/token"), form,
                headers, CLOCK);
        String decoded = new String(Base64.getDecoder().decode(headers.get("Authorization").substring(6)),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("id%3A1:p%40ss+word");
        assertThat(form).isEmpty();
    }

    @Test
    void whenPrivateKeyJwtThenAssertionIsSignedForTheIssuer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> form = new HashMap<>();
        ClientCredentials.privateKeyJwtFromPem("client-7", pem).apply("https://as.example",
                URI.create("https://as.example/token"), form, new HashMap<>(), CLOCK);

        assertThat(form).containsEntry("client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) pair.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://as.example");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("client-7");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("client-7");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isAfter(CLOCK.instant());
    }

    @Test
    void whenServerUrlIsPlainHttpOnAnotherHostThenBuilderRefusesNamingIt() {
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("http://mcp.example.com/mcp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverUrl")
                .hasMessageContaining("https");
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("http://10.0.0.7:8080/mcp")))
                .hasMessageContaining("serverUrl");
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("https://mcp.example.com/mcp#frag")))
                .hasMessageContaining("serverUrl");
        for (String ok : new String[] {"https://mcp.example.com/mcp", "http://127.0.0.1:8080/mcp",
                "http://localhost:8080/mcp", "http://[::1]:8080/mcp", "HTTP://LOCALHOST/mcp"}) {
            assertThat(McpOAuthClient.builder(URI.create(ok)).build().serverUrl()).isEqualTo(URI.create(ok));
        }
    }

    @Test
    void whenAStoredRegistrationUsesAnUnsupportedMethodThenItIsRefusedNotSentAsPublic() {
        for (String method : new String[] {"client_secret_jwt", "tls_client_auth", ""}) {
            assertThatThrownBy(() -> ClientCredentials.of(
                    new StoredClient("https://as.example", "c", Optional.of("s3cret"), method)))
                    .isInstanceOf(ClientAuthorizationException.class).hasMessageContaining("not support")
                    .hasMessageNotContaining("s3cret");
        }
        assertThat(ClientCredentials.of(new StoredClient("https://as.example", "c", Optional.empty(), "none"))
                .authMethod()).isEqualTo("none");
    }

    @Test
    void whenBuiltWithBadValuesThenTheFieldIsNamed() {
        assertThatThrownBy(() -> ClientCredentials.secretBasic(" ", "s")).hasMessageContaining("clientId");
        assertThatThrownBy(() -> ClientCredentials.secretPost("id", "")).hasMessageContaining("secret");
        assertThatThrownBy(() -> ClientCredentials.privateKeyJwtFromPem("id", "-----BEGIN PRIVATE KEY-----AAAA"))
                .hasMessageContaining("pkcs8Pem");
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("ftp://x/mcp"))).hasMessageContaining("serverUrl");
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("/mcp"))).hasMessageContaining("serverUrl");
        assertThatThrownBy(() -> McpOAuthClient.builder(URI.create("https://x/mcp"))
                .clientMetadataDocument(URI.create("http://x/cimd.json")))
                .hasMessageContaining("clientMetadataDocument");
    }
}
