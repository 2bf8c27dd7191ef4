package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.limit.RateLimit;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * An address flooding the bearer guard with forged tokens (real header and {@code kid}, random signature) is
 * throttled: 429 with {@code Retry-After} once over the limit, before any signature check, audited once; requests
 * without a token never count; the address is let through again when the limit allows.
 */
class BadTokenThrottleTest {

    @Test
    void whenOneAddressSendsTooManyBadTokensThen429WithRetryAfterAuditedOnceUntilTheLimitAllowsAgain()
            throws Exception {
        try (SecurityFixture fx = SecurityFixture.start(s -> s.servlet("/mcp", base -> new Ok()),
                o -> o.badTokenLimit(RateLimit.of(3, Duration.ofMinutes(1))))) {
            String valid = fx.grant(fx.publicClient(), "alice").accessToken();
            String forged = forge(valid);

            for (int i = 0; i < 5; i++) {
                assertThat(call(fx, null).statusCode()).as("no token: discovery, never counted").isEqualTo(401);
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = call(fx, forged);
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
            }
            HttpResponse<String> throttled = call(fx, forged);
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After").orElseThrow()).matches("[1-9][0-9]*");
            assertThat(throttled.body()).contains("too_many_requests");
            assertThat(call(fx, valid).statusCode()).as("the whole address waits").isEqualTo(429);
            assertThat(call(fx, null).statusCode()).as("discovery (no token) is never throttled").isEqualTo(401);
            assertThat(call(fx, forged).statusCode()).isEqualTo(429);
            assertThat(fx.audit.events()).filteredOn(e -> e.type() == AuditEvent.Type.RATE_LIMITED)
                    .singleElement().satisfies(e -> assertThat(e.toString()).contains("endpoint=guard"));

            fx.clock.advance(Duration.ofMinutes(1));
            assertThat(call(fx, valid).statusCode()).isEqualTo(200);
        }
    }

    /** {@code token} with its signature replaced by random bytes of the same length. */
    private static String forge(String token) {
        int dot = token.lastIndexOf('.');
        byte[] signature = new byte[Base64.getUrlDecoder().decode(token.substring(dot + 1)).length];
        new java.security.SecureRandom().nextBytes(signature);
        return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    private static HttpResponse<String> call(SecurityFixture fx, String token) throws Exception {
        HttpRequest.Builder b = fx.request("/mcp").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return fx.browser.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the guard protects. */
    static final class Ok extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
        }
    }
}
