package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

final class MemoryGrantStore implements GrantStore {

    /** A refresh token hash's grant; lives as long as the grant did when the hash was current. */
    private record RefreshEntry(String grantId, Instant expiresAt) {
    }

    private final Cache<String, Grant> grants;
    private final Cache<String, RefreshEntry> refreshTokens;

    MemoryGrantStore(Clock clock, Ticker ticker, int maxSize) {
        this.grants = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(maxSize)
                .expireAfter(new UntilExpiry<String, Grant>(clock, Grant::expiresAt))
                .build();
        this.refreshTokens = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(maxSize * 4L)
                .expireAfter(new UntilExpiry<String, RefreshEntry>(clock, RefreshEntry::expiresAt))
                .build();
    }

    @Override
    public void save(Grant grant) {
        if (grants.asMap().putIfAbsent(grant.grantId(), grant) != null) {
            throw new IllegalStateException("duplicate grant id");
        }
        grant.refreshTokenHash().ifPresent(h -> refreshTokens.put(h, new RefreshEntry(grant.grantId(),
                grant.expiresAt())));
    }

    @Override
    public Optional<Grant> findById(String grantId) {
        return Optional.ofNullable(grants.getIfPresent(grantId));
    }

    @Override
    public Optional<Grant> findByRefreshToken(String refreshTokenHash) {
        RefreshEntry entry = refreshTokens.getIfPresent(refreshTokenHash);
        return entry == null ? Optional.empty() : findById(entry.grantId());
    }

    @Override
    public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
        Grant current = grants.getIfPresent(grantId);
        if (current == null || current.revoked() || !current.refreshTokenHash().equals(Optional.of(expectedHash))) {
            return false;
        }
        Grant next = current.withRefreshToken(newHash, newExpiresAt);
        // Map the new hash first: a reader who sees the rotated grant can always resolve its token.
        refreshTokens.put(newHash, new RefreshEntry(grantId, newExpiresAt));
        if (!grants.asMap().replace(grantId, current, next)) {
            refreshTokens.invalidate(newHash);
            return false;
        }
        // The old hash keeps pointing at the grant until the grant itself expires, for reuse detection.
        refreshTokens.put(expectedHash, new RefreshEntry(grantId, newExpiresAt));
        return true;
    }

    @Override
    public void revoke(String grantId) {
        grants.asMap().computeIfPresent(grantId, (id, g) -> g.revoked() ? g : g.asRevoked());
    }
}
