package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authorization endpoint is limited per address (it can make the server fetch metadata documents). */
class AuthorizationRateLimitTest {

    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void whenOneAddressFloodsTheAuthorizationEndpointThenItGets429WithRetryAfter() throws Exception {
        server = TestServer.builder().oauth(o -> o.rateLimits(RateLimits.defaults()
                .with(RateLimits.Endpoint.AUTHORIZATION, RateLimits.Key.ADDRESS, RateLimit.perMinute(3)))).start();
        Browser browser = new Browser();
        for (int i = 0; i < 3; i++) {
            assertThat(browser.get(server.uri("/oauth2/authorize?client_id=nobody")).statusCode()).isEqualTo(400);
        }

        HttpResponse<String> refused = browser.get(server.uri("/oauth2/authorize?client_id=nobody"));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
}
