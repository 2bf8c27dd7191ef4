package io.github.mcpoauth.core.internal.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.RevocationCheck;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The authorization server's same-application {@link RevocationCheck}: the grant's state, cached in front of the
 * grant store when the store keeps a {@link RevocationLog} (the JDBC store), so that a known token costs no
 * database round trip.
 *
 * <ul>
 *   <li>A grant unknown to this node is read from the store once; a live or revoked grant found there is cached
 *       (bounded, on the clock's ticker), never past the grant's {@code expiresAt} nor {@link #MAX_AGE}.</li>
 *   <li>A revocation through this node's store drops the entry before {@code revoke} returns; one made on another
 *       node drops it when the {@link RevocationFeed} reads it, within {@link RevocationFeed#STALENESS_BOUND}.</li>
 *   <li>While the feed is not fresh (database down, nothing read yet), every check reads the store: a failing
 *       read throws, which the verifier answers with 503, never 401 and never an answer from memory.</li>
 * </ul>
 *
 * <p>Stores without a log (the in-memory store, answering from memory anyway; a custom store) are read on every
 * check, as before. The feed's thread starts on the first check and stops on {@link #close()}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
public final class GrantStateCache implements RevocationCheck, AutoCloseable {

    /** The longest an entry is kept, whatever the grant's expiry. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /** The most grants cached. */
    static final long MAX_GRANTS = 100_000;

    private final GrantStore grants;
    /** The same check without the cache: every answer read from the store (stores without a revocation log). */
    private final GrantRevocationCheck uncached;
    private final Cache<String, State> states;
    private final RevocationFeed feed;
    private final RevocationLog.Subscription local;
    /** Bumped before every invalidation: a store read that overlaps one does not stay cached. */
    private final AtomicLong invalidations = new AtomicLong();

    private GrantStateCache(GrantStore grants, Clock clock, Ticker ticker) {
        this.grants = grants;
        this.uncached = new GrantRevocationCheck(grants);
        this.states = Caches.builder()
                .maximumSize(MAX_GRANTS)
                .ticker(ClockTicker.of(clock))
                .expireAfter(new UntilGrantExpiry())
                .build();
        if (grants instanceof RevocationLog.Source source) {
            RevocationLog log = source.revocationLog();
            this.feed = new RevocationFeed(log, ticker, this::invalidate, this::invalidateAll);
            this.local = log.onLocalRevocation(this::invalidate);
        } else {
            this.feed = null;
            this.local = null;
        }
    }

    /**
     * The check for {@code grants}: cached if the store keeps a revocation log, a store read per check otherwise.
     *
     * @param clock the server's clock: entry expiry
     * @param ticker monotonic nanoseconds: the feed's staleness bound
     */
    public static GrantStateCache forStore(GrantStore grants, Clock clock, Ticker ticker) {
        return new GrantStateCache(Objects.requireNonNull(grants, "grants"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ticker, "ticker"));
    }

    @Override
    public boolean isActive(AccessTokenPrincipal principal) {
        if (feed == null) {
            return uncached.isActive(principal);
        }
        Optional<String> grantId = principal.grantId();
        if (grantId.isEmpty()) {
            return false;
        }
        State state = state(grantId.get());
        return state != null && GrantRevocationCheck.keeps(state.revoked(), state.claims().clientId(),
                state.claims().subject(), principal);
    }

    /**
     * What the grant holds, from the same cache as {@link #isActive} (a reference token's first sight reads the
     * grant once for both), or from the store as {@link #isActive} would read it.
     */
    @Override
    public Optional<GrantClaims> grantClaims(String grantId) {
        return feed == null ? uncached.grantClaims(grantId) : Optional.ofNullable(state(grantId)).map(State::claims);
    }

    /**
     * What the check and reference tokens need of a grant, and no more (a cached {@link Grant} would hold its
     * creation time and refresh token hashes too).
     */
    private record State(GrantClaims claims, boolean revoked, Instant expiresAt) {

        static State of(Grant grant) {
            return new State(GrantRevocationCheck.claims(grant), grant.revoked(), grant.expiresAt());
        }
    }

    private State state(String grantId) {
        feed.start();
        if (feed.fresh()) {
            State known = Caches.peek(states, grantId);
            if (known != null) {
                return known;
            }
        }
        long before = invalidations.get();
        // Cached only if the feed knew its place in the log before the read: a revocation committed after the
        // read began then has a later entry, which the feed will deliver.
        boolean cacheable = feed.initialized();
        State read = grants.findById(grantId).map(State::of).orElse(null);
        if (read != null && cacheable) {
            states.put(grantId, read);
            if (invalidations.get() != before) {
                states.invalidate(grantId); // a revocation landed meanwhile: the read may predate it
            }
        }
        return read;
    }

    /** Drops what is known of {@code grantId}. */
    void invalidate(String grantId) {
        invalidations.incrementAndGet();
        states.invalidate(grantId);
    }

    /** Drops everything. */
    void invalidateAll() {
        invalidations.incrementAndGet();
        states.invalidateAll();
    }

    /** How many grants are cached now (an estimate). */
    public long cachedGrants() {
        return states.estimatedSize();
    }

    /** Whether the revocation feed's thread runs (the store keeps a log, a check ran, and not closed). */
    public boolean feedRunning() {
        return feed != null && feed.running();
    }

    /** The feed, for tests of this package. */
    RevocationFeed feed() {
        return feed;
    }

    /**
     * Stops the feed's thread and the local invalidations; from then on every check reads the store. Idempotent.
     */
    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        if (local != null) {
            local.close();
        }
        invalidateAll();
    }

    /** Every entry goes at the grant's expiry or after {@link #MAX_AGE}, whichever comes first. */
    private static final class UntilGrantExpiry implements Expiry<String, State> {

        @Override
        public long expireAfterCreate(String key, State grant, long currentTime) {
            Duration left = Duration.between(Instant.ofEpochSecond(0, currentTime), grant.expiresAt());
            return left.isNegative() ? 0 : left.compareTo(MAX_AGE) > 0 ? MAX_AGE.toNanos() : left.toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, State grant, long currentTime, long currentDuration) {
            return expireAfterCreate(key, grant, currentTime);
        }

        @Override
        public long expireAfterRead(String key, State grant, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
