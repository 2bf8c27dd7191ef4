package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.time.Clock;
import java.util.Optional;

final class MemoryCodeStore implements AuthorizationCodeStore {

    private final Cache<String, AuthorizationCode> codes;

    MemoryCodeStore(Clock clock, Ticker ticker, int maxSize) {
        this.codes = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(maxSize)
                .expireAfter(new UntilExpiry<String, AuthorizationCode>(clock, AuthorizationCode::expiresAt))
                .build();
    }

    @Override
    public void save(AuthorizationCode code) {
        if (code.consumed()) {
            throw new IllegalArgumentException("a new code must not be consumed");
        }
        if (codes.asMap().putIfAbsent(code.codeHash(), code) != null) {
            throw new IllegalStateException("duplicate authorization code");
        }
    }

    @Override
    public Optional<AuthorizationCode> find(String codeHash) {
        return Optional.ofNullable(codes.getIfPresent(codeHash));
    }

    /**
     * With the in-memory grant store, saves the grant inside the compute of the code's entry (both in memory, so no
     * I/O runs under the map's lock): a failed save leaves the entry as it was. With any other grant store (I/O),
     * consumes the code first and gives it back if the save fails, so a retry can still redeem it.
     */
    @Override
    public boolean redeem(String codeHash, Grant grant, GrantStore grants) {
        if (!(grants instanceof MemoryGrantStore)) {
            AuthorizationCode current = codes.getIfPresent(codeHash);
            if (current == null || current.consumed()
                    || !codes.asMap().replace(codeHash, current, current.asConsumed())) {
                return false;
            }
            try {
                grants.save(grant);
                return true;
            } catch (RuntimeException e) {
                codes.asMap().replace(codeHash, current.asConsumed(), current);
                throw e;
            }
        }
        boolean[] redeemed = {false};
        codes.asMap().computeIfPresent(codeHash, (hash, current) -> {
            if (current.consumed()) {
                return current;
            }
            grants.save(grant);
            redeemed[0] = true;
            return current.asConsumed();
        });
        return redeemed[0];
    }

    @Override
    public boolean consume(String codeHash) {
        AuthorizationCode current = codes.getIfPresent(codeHash);
        return current != null && !current.consumed()
                && codes.asMap().replace(codeHash, current, current.asConsumed());
    }
}
