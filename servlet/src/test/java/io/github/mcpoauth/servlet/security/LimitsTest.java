package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.internal.limit.RateLimiter;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limit package's public API without a server: token buckets on a moved clock, proxies, the limit set. */
class LimitsTest {

    @Test
    void whenBurstIsSpentThenRefusedUntilTheClockRefillsOneRequest() {
        MutableClock clock = MutableClock.at(java.time.Instant.now());
        RateLimiter limiter = RateLimiter.create(RateLimit.of(3, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isEmpty();
        }
        assertThat(limiter.tryAcquire("a")).hasValue(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("b")).as("keys are independent").isEmpty();
        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.tryAcquire("a")).hasValue(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a")).isEmpty();
        assertThat(limiter.tryAcquire("a")).isPresent();
        // a key idle for a whole period is full again, never fuller
        clock.advance(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isEmpty();
        }
        assertThat(limiter.tryAcquire("a")).isPresent();
    }

    @Test
    void whenRateLimitOutOfRangeThenBuilderNamesTheField() {
        assertThatThrownBy(() -> RateLimit.of(0, Duration.ofMinutes(1))).hasMessageContaining("requests");
        assertThatThrownBy(() -> RateLimit.of(1, Duration.ofMillis(10))).hasMessageContaining("per");
        assertThatThrownBy(() -> RateLimits.defaults().with(RateLimits.Endpoint.REGISTRATION, RateLimits.Key.CLIENT,
                RateLimit.perMinute(1))).hasMessageContaining("registration");
    }

    @Test
    void whenLimitsDerivedThenTheOriginalIsUnchanged() {
        RateLimits defaults = RateLimits.defaults();
        RateLimits stricter = defaults.with(RateLimits.Endpoint.TOKEN, RateLimits.Key.CLIENT, RateLimit.perMinute(5))
                .without(RateLimits.Endpoint.INTROSPECTION, RateLimits.Key.ADDRESS);
        assertThat(defaults.limit(RateLimits.Endpoint.TOKEN, RateLimits.Key.CLIENT)).hasValue(RateLimit.perMinute(60));
        assertThat(stricter.limit(RateLimits.Endpoint.TOKEN, RateLimits.Key.CLIENT)).hasValue(RateLimit.perMinute(5));
        assertThat(stricter.limit(RateLimits.Endpoint.INTROSPECTION, RateLimits.Key.ADDRESS)).isEmpty();
        assertThat(defaults.limit(RateLimits.Endpoint.REGISTRATION, RateLimits.Key.ADDRESS))
                .hasValue(RateLimit.perHour(20));
        assertThat(RateLimits.none().limit(RateLimits.Endpoint.TOKEN, RateLimits.Key.ADDRESS)).isEmpty();
    }

    @Test
    void whenTrustedProxiesConfiguredThenOnlyIpLiteralsAndRangesAreAccepted() {
        TrustedProxies proxies = TrustedProxies.of("10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8");
        assertThat(proxies.trusts("10.1.2.3")).isTrue();
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(proxies.trusts("192.168.1.7")).isTrue();
        assertThat(proxies.trusts("192.168.1.8")).isFalse();
        assertThat(proxies.trusts("::1")).isTrue();
        assertThat(proxies.trusts("fd12::1")).isTrue();
        assertThat(proxies.trusts("::ffff:10.0.0.1")).as("IPv4-mapped").isTrue();
        assertThat(proxies.trusts("localhost")).as("names are never resolved").isFalse();
        for (String bad : List.of("localhost", "example.com", "10.0.0.0/33", "::/129", "1.2.3", "999.1.1.1",
                "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> TrustedProxies.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("trustedProxies");
        }
    }

    @Test
    void whenClientAddressIsComputedThenOnlyTrustedHopsAreSkipped() {
        TrustedProxies proxies = TrustedProxies.of("10.0.0.0/8");
        assertThat(proxies.clientAddress(request("10.0.0.1", "203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress(request("10.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2")))
                .isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress(request("203.0.113.9", "1.1.1.1"))).as("untrusted peer")
                .isEqualTo("203.0.113.9");
        assertThat(proxies.clientAddress(request("10.0.0.1", null))).isEqualTo("10.0.0.1");
        assertThat(proxies.clientAddress(request("10.0.0.1", "[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0::/64");
        assertThat(proxies.clientAddress(request("10.0.0.1", "198.51.100.1:5555"))).isEqualTo("198.51.100.1");
        assertThat(proxies.clientAddress(request("10.0.0.1", "unknown"))).isEqualTo("unknown");
        assertThat(proxies.clientAddress(request("10.0.0.1", "x\u0000y".repeat(40)))).hasSizeLessThanOrEqualTo(64)
                .doesNotContain("\u0000");
        assertThat(TrustedProxies.none().clientAddress(request("10.0.0.1", "203.0.113.5"))).isEqualTo("10.0.0.1");
    }

    /** A request from {@code peer} with {@code forwardedFor}, as far as the proxies need one. */
    private static HttpServletRequest request(String peer, String forwardedFor) {
        return (HttpServletRequest) Proxy.newProxyInstance(LimitsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "getHeaders" -> Collections.enumeration(Optional.ofNullable(forwardedFor).stream().toList());
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
