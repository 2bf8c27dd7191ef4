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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

    /** How many rotated-out hashes a grant remembers for reuse detection (older ones are forgotten). */
    static final int MAX_HISTORY = 16;

    private final Cache<String, Entry> grants;
    /**
     * Refresh token hash to grant id. Not bounded by size of its own, so that a live grant's current hash is never
     * evicted while the grant is held: the hashes of a grant live exactly as long as the grant (a rotation may
     * extend it) and are dropped when it expires or is evicted; each grant keeps at most {@link #MAX_HISTORY}
     * rotated-out hashes, so the map holds at most {@code (MAX_HISTORY + 1)} entries per grant.
     */
    private final ConcurrentMap<String, String> refreshTokens = new ConcurrentHashMap<>();

    MemoryGrantStore(Clock clock, Ticker ticker, int maxSize) {
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
            refreshTokens.remove(h.hash);
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
        String grantId = refreshTokens.get(refreshTokenHash);
        return grantId == null ? Optional.empty() : findById(grantId);
    }

    @Override
    public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
        Entry current = grants.getIfPresent(grantId);
        if (current == null || current.grant.revoked()
                || !current.grant.refreshTokenHash().equals(Optional.of(expectedHash))) {
            return false;
        }
        History kept = new History(newHash, current.hashes);
        History last = kept;
        for (int i = 0; i < MAX_HISTORY && last.previous != null; i++) {
            last = last.previous;
        }
        History dropped = last.previous;
        if (dropped != null) {
            kept = truncate(kept, MAX_HISTORY + 1);
        }
        Entry next = new Entry(current.grant.withRefreshToken(newHash, newExpiresAt), kept);
        // Map the new hash first: a reader who sees the rotated grant can always resolve its token.
        refreshTokens.put(newHash, grantId);
        if (!grants.asMap().replace(grantId, current, next)) {
            refreshTokens.remove(newHash);
            return false;
        }
        forget(dropped);
        return true;
    }

    /** The first {@code n} hashes of {@code h}, as a new list. */
    private static History truncate(History h, int n) {
        if (h == null || n == 0) {
            return null;
        }
        return new History(h.hash, truncate(h.previous, n - 1));
    }

    @Override
    public void revoke(String grantId) {
        grants.asMap().computeIfPresent(grantId,
                (id, e) -> e.grant.revoked() ? e : new Entry(e.grant.asRevoked(), e.hashes));
    }
}
