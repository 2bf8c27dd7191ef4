package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityAssertions.assertOAuthError;
import static io.github.mcpoauth.servlet.security.SecurityFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.consent.ConsentPage.SessionCookies;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The abuse limits over real HTTP: per-client and per-address rate limits of the token and introspection
 * endpoints, the client address behind trusted proxies, parameter caps, and the session cookie helper.
 */
class AbuseLimitsTest {

    @Test
    void whenOneClientExceedsItsTokenLimitThen429WithRetryAfterWhileOtherClientsGoOn() throws Exception {
        RateLimits limits = RateLimits.defaults()
                .with(RateLimits.Endpoint.TOKEN, RateLimits.Key.CLIENT, RateLimit.perMinute(5));
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(limits))) {
            McpClient noisy = fx.publicClient();
            McpClient quiet = fx.publicClient();
            for (int i = 0; i < 5; i++) {
                assertOAuthError(noisy.refresh("nope"), 400, "invalid_grant");
            }
            HttpResponse<String> limited = noisy.refresh("nope");
            assertOAuthError(limited, 429, "too_many_requests");
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("12");
            assertThat(limited.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                    .contains("Retry-After");
            // the same client id claimed through HTTP Basic counts against the same bucket
            HttpResponse<String> viaBasic = fx.browser.post(fx.uri("/oauth2/token"),
                    form("grant_type", "refresh_token", "refresh_token", "nope"), "Authorization",
                    TokenEndpointSecurityCasesTest.basicAuth(noisy.clientId(), "x"));
            assertOAuthError(viaBasic, 429, "too_many_requests");
            assertOAuthError(quiet.refresh("nope"), 400, "invalid_grant");
            fx.clock.advance(Duration.ofSeconds(12));
            assertOAuthError(noisy.refresh("nope"), 400, "invalid_grant");
            assertOAuthError(noisy.refresh("nope"), 429, "too_many_requests");
        }
    }

    @Test
    void whenOneAddressExceedsTheIntrospectionLimitThen429() throws Exception {
        RateLimits limits = RateLimits.none()
                .with(RateLimits.Endpoint.INTROSPECTION, RateLimits.Key.ADDRESS, RateLimit.perMinute(3));
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(limits))) {
            for (int i = 0; i < 3; i++) {
                assertThat(fx.introspect("x").statusCode()).isEqualTo(200);
            }
            assertOAuthError(fx.introspect("x"), 429, "too_many_requests");
            // the address limit applies before the body is read: even an unreadable request is refused with 429
            HttpResponse<String> junk = fx.send(fx.request("/oauth2/introspect")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("%%%")).build());
            assertOAuthError(junk, 429, "too_many_requests");
            // other endpoints are not limited by it
            assertThat(fx.publicClient()).isNotNull();
        }
    }

    @Test
    void whenBehindTrustedProxyThenTheForwardedAddressIsTheKeyAndAddressesLeftOfItAreNotBelieved()
            throws Exception {
        RateLimits limits = RateLimits.none()
                .with(RateLimits.Endpoint.REGISTRATION, RateLimits.Key.ADDRESS, RateLimit.perHour(2));
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(limits)
                .trustedProxies("127.0.0.0/8", "::1"))) {
            McpClient c = new McpClient(fx.server, fx.browser);
            String body = c.registrationBody("none").toString();
            assertThat(register(fx, body, "203.0.113.1")).isEqualTo(201);
            assertThat(register(fx, body, "203.0.113.1")).isEqualTo(201);
            assertThat(register(fx, body, "203.0.113.1")).isEqualTo(429);
            // the client prepending addresses of its own does not change who it is
            assertThat(register(fx, body, "198.51.100.7, 203.0.113.1")).isEqualTo(429);
            assertThat(register(fx, body, "198.51.100.7,203.0.113.1, 127.0.0.1")).isEqualTo(429);
            // another client behind the same proxy has its own bucket
            assertThat(register(fx, body, "203.0.113.2")).isEqualTo(201);
            // IPv6 clients are keyed by their /64
            assertThat(register(fx, body, "2001:db8:1:2::1")).isEqualTo(201);
            assertThat(register(fx, body, "2001:db8:1:2::ffff")).isEqualTo(201);
            assertThat(register(fx, body, "2001:db8:1:2:aaaa::1")).isEqualTo(429);
            assertThat(register(fx, body, "2001:db8:1:3::1")).isEqualTo(201);
        }
        // without trusted proxies the header changes nothing
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(limits))) {
            String body = new McpClient(fx.server, fx.browser).registrationBody("none").toString();
            assertThat(register(fx, body, "203.0.113.1")).isEqualTo(201);
            assertThat(register(fx, body, "203.0.113.2")).isEqualTo(201);
            assertThat(register(fx, body, "203.0.113.3")).isEqualTo(429);
        }
    }

    private static int register(SecurityFixture fx, String body, String forwardedFor) throws Exception {
        return fx.send(fx.request("/oauth2/register").header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor).POST(HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    @Test
    void whenParametersFloodAreOverlongOrInTheQueryThenRefusedWithoutEffect() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start()) {
            McpClient client = fx.publicClient();
            SecurityFixture.Tokens t = fx.grant(client, "alice");
            StringBuilder flood = new StringBuilder("grant_type=refresh_token&refresh_token=" + t.refreshToken()
                    + "&client_id=" + client.clientId());
            for (int i = 0; i < 100; i++) {
                flood.append("&x").append(i).append("=1");
            }
            assertOAuthError(post(fx, "/oauth2/token", flood.toString()), 400, "invalid_request");
            assertOAuthError(post(fx, "/oauth2/token", "grant_type=refresh_token&client_id=" + client.clientId()
                    + "&refresh_token=" + "A".repeat(17 * 1024)), 400, "invalid_request");
            // client credentials and grant parameters belong in the body (RFC 6749 §2.3.1, §3.2)
            HttpResponse<String> inQuery = fx.send(fx.request("/oauth2/token?grant_type=refresh_token&client_id="
                    + enc(client.clientId()) + "&refresh_token=" + enc(t.refreshToken()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")).build());
            assertThat(inQuery.statusCode()).as(inQuery.body()).isBetween(400, 401);
            HttpResponse<String> mixed = fx.send(fx.request("/oauth2/token?client_id=" + enc(client.clientId()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                            + enc(t.refreshToken()) + "&client_id=" + enc(client.clientId()))).build());
            assertOAuthError(mixed, 400, "invalid_request");
            // authorization requests and consent forms have caps too: a local error, never a redirect
            URI base = client.authorizeUri(McpClient.pkce(), "st");
            HttpResponse<String> manyParams = fx.browser.get(URI.create(base + "&x=1".repeat(100)));
            SecurityAssertions.assertLocalErrorPage(manyParams);
            // none of it touched the grant
            assertThat(client.refresh(t.refreshToken()).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(SecurityFixture fx, String path, String body) throws Exception {
        return fx.send(fx.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void whenSessionCookiesHardenedThenHttpOnlySameSiteLaxAndOverHttpsSecureWithHostPrefix() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start(b -> b.startup(ctx -> SessionCookies.harden(ctx,
                URI.create("http://127.0.0.1"))), o -> { })) {
            String cookie = sessionCookie(fx);
            assertThat(cookie).startsWith("JSESSIONID=").containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax").doesNotContainIgnoringCase("Secure");
        }
        try (SecurityFixture fx = SecurityFixture.start(b -> b.startup(ctx -> SessionCookies.harden(ctx,
                URI.create("https://mcp.example.com"))), o -> { })) {
            String cookie = sessionCookie(fx);
            assertThat(cookie).startsWith("__Host-JSESSIONID=").containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax").containsIgnoringCase("Secure").contains("Path=/")
                    .doesNotContainIgnoringCase("Domain=");
        }
    }

    /** The Set-Cookie of the session the login creates. */
    private static String sessionCookie(SecurityFixture fx) throws Exception {
        McpClient client = new McpClient(fx.server, fx.browser);
        assertThat(client.register("none").statusCode()).isEqualTo(201);
        HttpResponse<String> login = fx.browser.post(fx.uri("/login"), Map.of("username", List.of("alice"),
                "password", List.of("alice-password"), "return", List.of("/")));
        assertThat(login.statusCode()).isEqualTo(303);
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.contains("JSESSIONID"))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + login.headers()));
    }
}
