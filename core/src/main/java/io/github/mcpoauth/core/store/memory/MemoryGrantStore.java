package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

final class MemoryGrantStore implements GrantStore {

    /** One refresh token hash of a grant and the ones before it: an immutable list, newest first. */
    private static final class History {
        final String hash;
        final History previous;

        History(String hash, History previous) {
            this.hash = hash;
            this.previous = previous;
        }
    }

    /**
     * A grant and every refresh token hash it ever had. Compared by identity, so that {@code replace} is a
     * compare-and-set on the exact entry read.
     */
    private static final class Entry {
        final Grant grant;
        final History hashes;

        Entry(Grant grant, History hashes) {
            this.grant = grant;
            this.hashes = hashes;
        }
    }

    private final Cache<String, Entry> grants;
    /**
     * Refresh token hash to grant id. The hashes of a grant live exactly as long as the grant: they have no expiry
     * of their own (a rotation may extend the grant's), and are dropped when the grant expires or is evicted.
     */
    private final Cache<String, String> refreshTokens;

    MemoryGrantStore(Clock clock, Ticker ticker, int maxSize) {
        this.refreshTokens = Caffeine.newBuilder()
                .maximumSize(maxSize * 4L)
                .build();
        this.grants = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(maxSize)
                .expireAfter(new UntilExpiry<String, Entry>(clock, e -> e.grant.expiresAt()))
                .evictionListener((String id, Entry entry, RemovalCause cause) -> {
                    if (entry != null) {
                        forget(entry.hashes);
                    }
                })
                .build();
    }

    private void forget(History hashes) {
        for (History h = hashes; h != null; h = h.previous) {
            refreshTokens.invalidate(h.hash);
        }
    }

    @Override
    public void save(Grant grant) {
        History hashes = grant.refreshTokenHash().map(h -> new History(h, null)).orElse(null);
        if (grants.asMap().putIfAbsent(grant.grantId(), new Entry(grant, hashes)) != null) {
            throw new IllegalStateException("duplicate grant id");
        }
        grant.refreshTokenHash().ifPresent(h -> refreshTokens.put(h, grant.grantId()));
    }

    @Override
    public Optional<Grant> findById(String grantId) {
        Entry entry = grants.getIfPresent(grantId);
        return entry == null ? Optional.empty() : Optional.of(entry.grant);
    }

    @Override
    public Optional<Grant> findByRefreshToken(String refreshTokenHash) {
        String grantId = refreshTokens.getIfPresent(refreshTokenHash);
        return grantId == null ? Optional.empty() : findById(grantId);
    }

    @Override
    public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
        Entry current = grants.getIfPresent(grantId);
        if (current == null || current.grant.revoked()
                || !current.grant.refreshTokenHash().equals(Optional.of(expectedHash))) {
            return false;
        }
        Entry next = new Entry(current.grant.withRefreshToken(newHash, newExpiresAt),
                new History(newHash, current.hashes));
        // Map the new hash first: a reader who sees the rotated grant can always resolve its token.
        refreshTokens.put(newHash, grantId);
        if (!grants.asMap().replace(grantId, current, next)) {
            refreshTokens.invalidate(newHash);
            return false;
        }
        return true;
    }

    @Override
    public void revoke(String grantId) {
        grants.asMap().computeIfPresent(grantId,
                (id, e) -> e.grant.revoked() ? e : new Entry(e.grant.asRevoked(), e.hashes));
    }
}
