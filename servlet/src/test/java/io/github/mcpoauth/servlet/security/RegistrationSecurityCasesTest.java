package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md cases 23 to 25: dynamic client registration (RFC 7591), over real HTTP (case 25 with the default
 * limits). Case 26, client ID metadata documents, is {@link ClientDocumentSecurityCasesTest}.
 */
class RegistrationSecurityCasesTest {

    private SecurityFixture fx;
    private McpClient client;

    @BeforeEach
    void start() throws Exception {
        // cases 23 and 24 send dozens of registrations from one address: without rate limits here
        fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(RateLimits.none()));
        client = new McpClient(fx.server, fx.browser);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private HttpResponse<String> register(ObjectNode body) throws Exception {
        return client.register(body);
    }

    private void assertNothingRegistered() {
        assertThat(fx.audit.types()).doesNotContain(AuditEvent.Type.CLIENT_REGISTERED);
    }

    @Test
    void case23_whenRedirectUriDangerousRelativeWithFragmentOrPlainHttpThenInvalidRedirectUri() throws Exception {
        List<String> bad = List.of("javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT://x/%0aalert(1)",
                " javascript:alert(1)", "\tjavascript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>x",
                "DATA:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "VBScript:x", "file:///etc/passwd",
                "FILE://host/share", " file:///etc/passwd", "https://app.example/cb#frag", "https://app.example/cb#",
                "/callback", "callback", "//app.example/cb", "", " ", "http://app.example/cb",
                "http://127.0.0.1.evil.example/cb", "http://localhost.evil.example/cb", "https:app.example",
                "https://user:pw@app.example/cb");
        for (String uri : bad) {
            ObjectNode body = client.registrationBody("none");
            body.putArray("redirect_uris").add(uri);
            assertOAuthError(register(body), 400, "invalid_redirect_uri");
        }
        ObjectNode mixed = client.registrationBody("none");
        mixed.putArray("redirect_uris").add("https://app.example/cb").add("javascript:alert(1)");
        assertOAuthError(register(mixed), 400, "invalid_redirect_uri");
        ObjectNode notString = client.registrationBody("none");
        notString.putArray("redirect_uris").add(42);
        assertOAuthError(register(notString), 400, "invalid_redirect_uri");
        assertNothingRegistered();
        // the allowed kinds, for contrast
        for (String ok : List.of("https://app.example/cb", "http://127.0.0.1:33418/cb", "http://localhost/cb",
                "http://[::1]:8080/cb", "com.example.app:/oauth2redirect")) {
            ObjectNode body = client.registrationBody("none");
            body.putArray("redirect_uris").add(ok);
            assertThat(register(body).statusCode()).as(ok).isEqualTo(201);
        }
    }

    @Test
    void case24_whenNonHttpsInfoUrisUnsupportedGrantsOrChosenClientIdThenInvalidClientMetadata() throws Exception {
        for (String field : List.of("client_uri", "logo_uri", "tos_uri", "policy_uri")) {
            for (String value : List.of("http://app.example/x", "javascript:alert(1)", "data:image/png;base64,AA",
                    "ftp://app.example/x", "/relative")) {
                ObjectNode body = client.registrationBody("none");
                body.put(field, value);
                assertOAuthError(register(body), 400, "invalid_client_metadata");
            }
        }
        for (List<String> grants : List.of(List.of("implicit"), List.of("password"),
                List.of("authorization_code", "password"), List.of("authorization_code", "implicit"),
                List.of("client_credentials"), List.of("refresh_token"))) {
            ObjectNode body = client.registrationBody("none");
            ArrayNode g = body.putArray("grant_types");
            grants.forEach(g::add);
            assertOAuthError(register(body), 400, "invalid_client_metadata");
        }
        ObjectNode token = client.registrationBody("none");
        token.putArray("response_types").add("token");
        assertOAuthError(register(token), 400, "invalid_client_metadata");
        ObjectNode chosenId = client.registrationBody("none");
        chosenId.put("client_id", "my-own-id");
        assertOAuthError(register(chosenId), 400, "invalid_client_metadata");
        ObjectNode chosenSecret = client.registrationBody("client_secret_basic");
        chosenSecret.put("client_secret", "my-own-secret");
        assertOAuthError(register(chosenSecret), 400, "invalid_client_metadata");
        ObjectNode jwt = client.registrationBody("private_key_jwt");
        assertOAuthError(register(jwt), 400, "invalid_client_metadata");
        assertNothingRegistered();
        ObjectNode https = client.registrationBody("none");
        https.put("client_uri", "https://app.example/").put("logo_uri", "https://app.example/logo.png");
        assertThat(register(https).statusCode()).isEqualTo(201);
    }

    @Test
    void case25_whenBodyOversizedTooManyRedirectUrisHugeNameOrBurstThen413Or400Or429WithRetryAfter()
            throws Exception {
        fx.close();
        fx = SecurityFixture.start(); // the default limits
        client = new McpClient(fx.server, fx.browser);
        // Oversized body: declared length, and chunked (no length declared).
        String huge = "{\"redirect_uris\":[\"https://app.example/cb\"],\"client_name\":\"" + "x".repeat(100_000)
                + "\"}";
        assertOAuthError(client.postJson(fx.uri("/oauth2/register"), huge), 413, "invalid_request");
        HttpResponse<String> chunked = fx.send(fx.request("/oauth2/register")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))).build());
        assertOAuthError(chunked, 413, "invalid_request");
        // Registration-sized cap: 20 KiB passes the generic 64 KiB limit but not the registration one.
        ObjectNode padded = client.registrationBody("none");
        padded.put("software_statement_x", "y".repeat(1900));
        for (int i = 0; i < 10; i++) {
            padded.put("ext_" + i, "z".repeat(1900));
        }
        assertOAuthError(register(padded), 413, "invalid_request");

        ObjectNode many = client.registrationBody("none");
        ArrayNode uris = many.putArray("redirect_uris");
        for (int i = 0; i < 11; i++) {
            uris.add("https://app.example/cb" + i);
        }
        assertOAuthError(register(many), 400, "invalid_redirect_uri");
        ObjectNode name = client.registrationBody("none");
        name.put("client_name", "n".repeat(201));
        assertOAuthError(register(name), 400, "invalid_client_metadata");
        ObjectNode longUri = client.registrationBody("none");
        longUri.put("client_uri", "https://app.example/" + "a".repeat(2100));
        assertOAuthError(register(longUri), 400, "invalid_client_metadata");
        ObjectNode contacts = client.registrationBody("none");
        ArrayNode c = contacts.putArray("contacts");
        for (int i = 0; i < 11; i++) {
            c.add("a" + i + "@app.example");
        }
        assertOAuthError(register(contacts), 400, "invalid_client_metadata");
        ObjectNode fields = client.registrationBody("none");
        for (int i = 0; i < 40; i++) {
            fields.put("x" + i, "v");
        }
        assertOAuthError(register(fields), 400, "invalid_client_metadata");
        assertNothingRegistered();

        // Bursts from one address: the default allows 20 at once (the refused ones above counted too), then 429.
        int accepted = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 25; i++) {
            last = client.register("none");
            if (last.statusCode() == 201) {
                accepted++;
            } else {
                break;
            }
        }
        assertThat(accepted).isLessThan(20);
        assertOAuthError(last, 429, "too_many_requests");
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L));
        assertThat(fx.audit.count(AuditEvent.Type.RATE_LIMITED)).isEqualTo(1);
        // Claiming another address does not help: X-Forwarded-For is not trusted by default.
        HttpResponse<String> spoofed = fx.send(fx.request("/oauth2/register").header("Content-Type",
                "application/json").header("X-Forwarded-For", "203.0.113.9").POST(
                HttpRequest.BodyPublishers.ofString(client.registrationBody("none").toString())).build());
        assertOAuthError(spoofed, 429, "too_many_requests");
        // After the wait the bucket has refilled (on the server's clock).
        fx.clock.advance(Duration.ofSeconds(Long.parseLong(last.headers().firstValue("Retry-After").get())));
        assertThat(client.register("none").statusCode()).isEqualTo(201);
    }
}
