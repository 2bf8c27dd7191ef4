package io.github.mcpoauth.core.resource;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The verifier's two memories, keyed by the SHA-256 of the token: tokens verified (kept until {@code exp} or the
 * TTL, see {@link UntilTokenExpiry}) and tokens refused moments ago (kept for a short TTL, so a replayed forged
 * token costs a lookup, not a signature check). Either may be disabled (size 0). Both on the clock's ticker.
 */
final class VerificationCaches {

    /**
     * A token's key in both memories: its SHA-256 ({@link Secrets#digest}) as four longs, so that a request builds
     * no Base64 string of it, and the caches hash and compare four longs rather than 43 characters.
     */
    record Key(long a, long b, long c, long d) {

        /** The key of a presented token, or null for an empty or oversized one (never hashed, never cached). */
        static Key of(String token, int maxLength) {
            return token == null || token.isEmpty() || token.length() > maxLength ? null : of(token);
        }

        static Key of(String token) {
            ByteBuffer digest = ByteBuffer.wrap(Secrets.digest(token));
            return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
        }
    }

    private final Cache<Key, AccessTokenPrincipal> verified;
    private final Cache<Key, Boolean> refused;

    VerificationCaches(Clock clock, long verifiedMaximumSize, Duration verifiedTtl, long refusedMaximumSize,
            Duration refusedTtl) {
        this.verified = verifiedMaximumSize == 0 ? null : Caches.builder()
                .ticker(ClockTicker.of(clock))
                .maximumSize(verifiedMaximumSize)
                .expireAfter(new UntilTokenExpiry(verifiedTtl))
                .build();
        this.refused = refusedMaximumSize == 0 ? null : Caches.builder()
                .ticker(ClockTicker.of(clock))
                .maximumSize(refusedMaximumSize)
                .expireAfterWrite(refusedTtl)
                .build();
    }

    AccessTokenPrincipal verified(Key key) {
        // quietly: a hot token needs no place in the eviction order; at the size bound it is verified again
        return verified == null ? null : Caches.peek(verified, key);
    }

    void putVerified(Key key, AccessTokenPrincipal principal) {
        if (verified != null) {
            verified.put(key, principal);
        }
    }

    void forget(Key key) {
        if (verified != null) {
            verified.invalidate(key);
        }
    }

    void forgetGrant(String grantId) {
        if (verified != null) {
            Optional<String> gid = Optional.of(grantId);
            verified.asMap().values().removeIf(p -> p.grantId().equals(gid));
        }
    }

    void forgetAll() {
        if (verified != null) {
            verified.invalidateAll();
        }
    }

    long verifiedCount() {
        return verified == null ? 0 : verified.estimatedSize();
    }

    boolean wasRefused(Key key) {
        return refused != null && refused.getIfPresent(key) != null;
    }

    void rememberRefused(Key key) {
        if (refused != null) {
            refused.put(key, Boolean.TRUE);
        }
    }
}
