package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #11: a forged token (real header and {@code kid}, wrong signature) is refused once with a signature
 * check, then from memory until the refusal TTL passes on the verifier's clock.
 */
class RefusalCacheTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final TestTokens tokens = new TestTokens(clock);
    private final AtomicInteger keyLookups = new AtomicInteger();
    private final JWKSource<SecurityContext> counting = (selector, context) -> {
        keyLookups.incrementAndGet();
        return selector.select(tokens.publicJwks());
    };

    private String forged() {
        String real = tokens.token();
        String other = tokens.token(); // same header and kid, another payload: its signature does not fit
        return real.substring(0, real.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
    }

    @Test
    void whenForgedTokenReplayedThenRefusedFromMemoryWithoutKeyLookup() {
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .jwkSource(counting).build();
        String forged = forged();

        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(false));
        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(true));
        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(true));
        assertThat(keyLookups).hasValue(1);

        clock.advance(Duration.ofSeconds(31)); // past the default 30 s
        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(false));
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void whenRefusalCacheDisabledThenEveryReplayIsCheckedAgain() {
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .jwkSource(counting).refusalCache(0, Duration.ofSeconds(30)).build();
        String forged = forged();

        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(false));
        assertThat(verifier.check(forged)).isEqualTo(new Verification.Refused(false));
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void whenValidTokenThenVerified() {
        AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
                .jwkSource(counting).build();

        assertThat(verifier.check(tokens.token())).isInstanceOfSatisfying(Verification.Verified.class,
                v -> assertThat(v.principal().subject()).isEqualTo("alice"));
    }
}
