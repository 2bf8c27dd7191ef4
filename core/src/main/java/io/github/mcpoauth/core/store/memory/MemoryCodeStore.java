package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.StoreException;
import java.time.Clock;
import java.util.Optional;

/**
 * Authorization codes in memory, in two maps, both expiring at each code's {@code expiresAt}:
 * <ul>
 *   <li><b>outstanding</b> codes (issued, not redeemed): never dropped to make room, as each is a user in the
 *       middle of a sign-in; at most {@code maxSize} of them, past which a new code is refused with an
 *       {@linkplain StoreException#isUnavailable() unavailable} {@link StoreException} (503 with
 *       {@code Retry-After} at the authorization endpoint);</li>
 *   <li><b>redeemed</b> codes, kept so that a replay is recognised (RFC 6749 §4.1.2): bounded by {@code maxSize} too,
 *       the least useful dropped first, which costs only the replay detection of that code, never a live sign-in.</li>
 * </ul>
 * Redeeming moves a code from the first map to the second, atomically for any number of concurrent callers.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
final class MemoryCodeStore implements AuthorizationCodeStore {

    private final Cache<String, AuthorizationCode> outstanding;
    private final Cache<String, AuthorizationCode> redeemed;
    private final int maxSize;

    MemoryCodeStore(Clock clock, Ticker ticker, int maxSize) {
        this.maxSize = maxSize;
        this.outstanding = Caches.builder()
                .ticker(ticker)
                .expireAfter(new UntilExpiry<String, AuthorizationCode>(clock, AuthorizationCode::expiresAt))
                .build();
        this.redeemed = Caches.builder()
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
        if (outstanding.estimatedSize() >= maxSize) {
            outstanding.cleanUp(); // expired codes still counted go now
            if (outstanding.estimatedSize() >= maxSize) {
                throw StoreException.unavailable("save code refused: the in-memory code store holds its maximum of "
                        + maxSize + " outstanding codes", null);
            }
        }
        if (redeemed.getIfPresent(code.codeHash()) != null
                || outstanding.asMap().putIfAbsent(code.codeHash(), code) != null) {
            throw new IllegalStateException("duplicate authorization code");
        }
    }

    @Override
    public Optional<AuthorizationCode> find(String codeHash) {
        AuthorizationCode code = outstanding.getIfPresent(codeHash);
        return Optional.ofNullable(code != null ? code : redeemed.getIfPresent(codeHash));
    }

    /**
     * With the in-memory grant store, saves the grant inside the compute of the code's entry (both in memory, so no
     * I/O runs under the map's lock): a failed save leaves the code outstanding. With any other grant store (I/O),
     * consumes the code first and gives it back if the save fails, so a retry can still redeem it.
     */
    @Override
    public boolean redeem(String codeHash, Grant grant, GrantStore grants) {
        if (!(grants instanceof MemoryGrantStore)) {
            AuthorizationCode current = outstanding.getIfPresent(codeHash);
            if (current == null || !consume(codeHash)) {
                return false;
            }
            try {
                grants.save(grant);
                return true;
            } catch (RuntimeException e) {
                redeemed.invalidate(codeHash);
                outstanding.put(codeHash, current);
                throw e;
            }
        }
        return moveToRedeemed(codeHash, () -> grants.save(grant));
    }

    @Override
    public boolean consume(String codeHash) {
        return moveToRedeemed(codeHash, () -> { });
    }

    /** Runs {@code first} and moves the code to the redeemed map, as one step under the code's entry. */
    private boolean moveToRedeemed(String codeHash, Runnable first) {
        boolean[] moved = {false};
        outstanding.asMap().computeIfPresent(codeHash, (hash, current) -> {
            first.run(); // throws: the code stays outstanding
            redeemed.put(hash, current.asConsumed()); // findable as consumed before it leaves the first map
            moved[0] = true;
            return null;
        });
        return moved[0];
    }
}
