package io.github.mcpoauth.core.internal.dpop;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Server nonces for DPoP proofs (RFC 9449 §8, §9): a random value replaced every half lifetime; the current and
 * the previous one are accepted, so a nonce stays good for at least half, at most the whole, lifetime. Kept in
 * memory per server instance (a proof refused for a nonce another node issued just earns the client a new one).
 */
public final class DpopNonces {

    private final Clock clock;
    private final Duration period;
    private final Secrets secrets;
    private Instant rotatedAt;
    private String current;
    private String previous;

    /** Nonces on {@code clock}, each acceptable for about {@code lifetime}. */
    public DpopNonces(Clock clock, Duration lifetime, Secrets secrets) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.period = Objects.requireNonNull(lifetime, "lifetime").dividedBy(2);
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** The nonce to hand out now ({@code DPoP-Nonce}). */
    public synchronized String current() {
        rotate();
        return current;
    }

    /** Whether {@code nonce} is one handed out recently enough. */
    public synchronized boolean accepts(String nonce) {
        rotate();
        return nonce != null && (Secrets.constantTimeEquals(nonce, current)
                || previous != null && Secrets.constantTimeEquals(nonce, previous));
    }

    private void rotate() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(rotatedAt.plus(period.multipliedBy(2)))) {
            previous = null;
            current = secrets.newId(16);
            rotatedAt = now;
        } else if (!now.isBefore(rotatedAt.plus(period))) {
            previous = current;
            current = secrets.newId(16);
            rotatedAt = now;
        }
    }
}
