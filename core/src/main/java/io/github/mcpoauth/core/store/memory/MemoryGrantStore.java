package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Grants on an expiring Caffeine cache with no size bound of its own: a live grant is never evicted. Two caps
 * instead, checked when a grant is saved: per resource owner and client, the oldest of their grants makes room for
 * the new one ({@link AuditEvent.Type#GRANT_REPLACED}); in all, a new grant past the cap is refused with an
 * {@linkplain StoreException#isUnavailable() unavailable} {@link StoreException} (503, {@link
 * AuditEvent.Type#GRANT_REFUSED}) and nothing held is dropped.
 */
final class MemoryGrantStore implements GrantStore {

    /** Whose grants: one resource owner with one client. */
    private record Owner(String subject, ClientID clientId) {
    }

    /** The ids of one owner's grants, oldest first; guarded by itself. Dead once removed from the map. */
    private static final class OwnerGrants {
        final ArrayDeque<String> ids = new ArrayDeque<>(1); // most owners hold one grant: no 16-slot array
        /** Grants of {@link #ids} that expired since the last walk (counted without the lock, by the listener). */
        final AtomicInteger expired = new AtomicInteger();
        boolean dead;
    }

    /** The history of a grant never rotated. */
    private static final long[] NOT_ROTATED = new long[0];

    /**
     * A grant and what it keeps of its rotated-out refresh tokens: no index by hash, since a presented refresh token
     * names its grant. Compared by identity, so that {@code replace} is a compare-and-set on the exact entry read.
     */
    private static final class Entry {
        final Grant grant;
        /**
         * {@link #NOT_ROTATED} until the grant's first rotation; then at {@code [0]} when its current refresh token
         * was issued (the one rotated out last was replaced), in nanoseconds since the epoch (exact until the year
         * 2262, and no {@link Instant} object), followed by the {@link HashBits} of the rotated-out hashes, newest
         * first, at most {@link #MAX_HISTORY} of them. Never changed once the entry is made.
         */
        final long[] history;

        Entry(Grant grant, long[] history) {
            this.grant = grant;
            this.history = history;
        }

        /** How many rotated-out hashes {@link #history} holds. */
        int rotatedOut() {
            return history.length == 0 ? 0 : (history.length - 1) / HashBits.WORDS;
        }

        /** When the current refresh token was issued: by the last rotation, or with the grant. */
        Instant lastIssuedAt() {
            return history.length == 0 ? grant.createdAt() : Instant.ofEpochSecond(0, history[0]);
        }
    }

    /** How many rotated-out hashes a grant remembers for reuse detection (older ones are forgotten). */
    static final int MAX_HISTORY = ROTATED_HASHES_KEPT;

    /** Grant id to grant: the refresh token hashes of a grant live exactly as long as the grant. */
    private final Cache<String, Entry> grants;
    /** Scope sets and resource lists, one instance per value: most grants share a handful of them. */
    private final Interner shared = new Interner(Interner.DEFAULT_SIZE);
    private final ConcurrentMap<Owner, OwnerGrants> owners = new ConcurrentHashMap<>();
    /** Grants held (saved, and neither expired nor replaced): what the total cap counts. */
    private final AtomicInteger held = new AtomicInteger();
    private final Clock clock;
    private final int maxGrants;
    private final int maxPerOwner;
    private final AuditListener audit;

    MemoryGrantStore(Clock clock, Ticker ticker, int maxGrants, int maxPerOwner, AuditListener audit) {
        this.clock = clock;
        this.maxGrants = maxGrants;
        this.maxPerOwner = maxPerOwner;
        this.audit = audit;
        // Expiry is the only eviction: no maximumSize, so the listener sees each expired grant exactly once. It
        // runs on the calling thread (Caches): an expired grant is dropped by the store's own calls, never behind a
        // cleanup pass's count.
        this.grants = Caches.builder()
                .ticker(ticker)
                .expireAfter(new UntilExpiry<String, Entry>(clock, e -> e.grant.expiresAt()))
                .evictionListener((String id, Entry entry, RemovalCause cause) -> {
                    if (entry != null) {
                        held.decrementAndGet();
                        // no lock here (the listener may run under another owner's): the next save at the cap walks
                        OwnerGrants mine = owners.get(new Owner(entry.grant.subject(), entry.grant.clientId()));
                        if (mine != null) {
                            mine.expired.incrementAndGet();
                        }
                    }
                })
                .build();
    }

    @Override
    public void save(Grant saved) {
        Grant grant = shared.compact(saved);
        Owner owner = new Owner(grant.subject(), grant.clientId());
        List<Grant> replaced = new ArrayList<>();
        while (true) {
            OwnerGrants mine = owners.computeIfAbsent(owner, o -> new OwnerGrants());
            synchronized (mine) {
                if (mine.dead) {
                    continue; // purged just now: take the fresh one
                }
                if (grants.getIfPresent(grant.grantId()) != null) {
                    throw new IllegalStateException("duplicate grant id");
                }
                if (mine.ids.size() >= maxPerOwner) {
                    grants.cleanUp(); // expiries due now reach the listener, which counts them for their owner
                    if (mine.expired.getAndSet(0) > 0) {
                        // ids of grants that expired meanwhile go first, so that only the owner's live grants
                        // count; walked only at the cap and only when one of them expired: a save is otherwise O(1)
                        mine.ids.removeIf(id -> !grants.asMap().containsKey(id));
                    }
                }
                while (mine.ids.size() >= maxPerOwner) {
                    Entry dropped = grants.asMap().remove(mine.ids.pollFirst());
                    if (dropped != null) {
                        held.decrementAndGet();
                        replaced.add(dropped.grant);
                    }
                }
                reserveSlot(grant);
                if (grants.asMap().putIfAbsent(grant.grantId(), new Entry(grant, NOT_ROTATED)) != null) {
                    held.decrementAndGet();
                    throw new IllegalStateException("duplicate grant id");
                }
                mine.ids.addLast(grant.grantId());
            }
            break;
        }
        for (Grant old : replaced) {
            audit.onEvent(new AuditEvent(AuditEvent.Type.GRANT_REPLACED, clock.instant(),
                    Optional.of(old.clientId().getValue()), Optional.of(old.subject()), Optional.of(old.grantId()),
                    "replaced by grant " + grant.grantId() + " (at most " + maxPerOwner
                            + " grants per user and client)"));
        }
    }

    /** Counts the new grant in, or refuses it (nothing held is dropped) if the store is full. */
    private void reserveSlot(Grant grant) {
        if (held.incrementAndGet() <= maxGrants) {
            return;
        }
        held.decrementAndGet();
        grants.cleanUp(); // expired grants still counted are dropped now
        if (held.incrementAndGet() <= maxGrants) {
            return;
        }
        held.decrementAndGet();
        audit.onEvent(new AuditEvent(AuditEvent.Type.GRANT_REFUSED, clock.instant(),
                Optional.of(grant.clientId().getValue()), Optional.of(grant.subject()), Optional.of(grant.grantId()),
                "the in-memory grant store holds its maximum of " + maxGrants + " grants"));
        throw StoreException.unavailable("save grant refused: the in-memory grant store holds its maximum of "
                + maxGrants + " grants", null);
    }

    /**
     * Housekeeping: drops expired grants now, and forgets owners that hold none.
     *
     * @return how many owners were forgotten
     */
    int purge() {
        grants.cleanUp();
        int forgotten = 0;
        for (Map.Entry<Owner, OwnerGrants> e : owners.entrySet()) {
            OwnerGrants mine = e.getValue();
            synchronized (mine) {
                mine.ids.removeIf(id -> grants.getIfPresent(id) == null);
                if (mine.ids.isEmpty() && !mine.dead) {
                    mine.dead = true;
                    owners.remove(e.getKey(), mine);
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    /** How many grants are held now. */
    int size() {
        return held.get();
    }

    @Override
    public List<ActiveGrant> findBySubject(String subject, int limit) {
        Objects.requireNonNull(subject, "subject");
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LISTED + ": " + limit);
        }
        Instant now = clock.instant();
        List<ActiveGrant> found = new ArrayList<>();
        for (Map.Entry<Owner, OwnerGrants> e : owners.entrySet()) {
            if (!e.getKey().subject().equals(subject)) {
                continue;
            }
            List<String> ids;
            synchronized (e.getValue()) {
                ids = List.copyOf(e.getValue().ids);
            }
            for (String id : ids) {
                Entry entry = grants.getIfPresent(id);
                if (entry != null && !entry.grant.revoked() && entry.grant.expiresAt().isAfter(now)) {
                    found.add(new ActiveGrant(entry.grant, entry.lastIssuedAt()));
                }
            }
        }
        found.sort(Comparator.comparing((ActiveGrant a) -> a.grant().createdAt()).reversed()
                .thenComparing(a -> a.grant().grantId()));
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    /**
     * The live entry of {@code grantId}, read quietly ({@link Caches#peek}): expiry is this cache's only eviction,
     * so a read has nothing to tell it. For the lookups of the guard and the refresh grant.
     */
    private Entry live(String grantId) {
        return Caches.peek(grants, grantId);
    }

    @Override
    public Optional<Grant> findById(String grantId) {
        Entry entry = live(grantId);
        return entry == null ? Optional.empty() : Optional.of(entry.grant);
    }

    /**
     * Looks in the named grant only: its current hash compared in full (in constant time), its rotated-out ones by
     * their {@link HashBits}. A token that names no grant finds nothing: this store never issued one.
     */
    @Override
    public Optional<Grant> findByRefreshToken(String grantId, String refreshTokenHash) {
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Entry entry = grantId == null ? null : live(grantId);
        if (entry == null) {
            return Optional.empty();
        }
        boolean current = entry.grant.refreshTokenHash()
                .map(h -> Secrets.constantTimeEquals(h, refreshTokenHash)).orElse(false);
        return current || HashBits.anyOf(entry.history, 1, entry.rotatedOut(), refreshTokenHash)
                ? Optional.of(entry.grant) : Optional.empty();
    }

    @Override
    public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
        Objects.requireNonNull(expectedHash, "expectedHash");
        Objects.requireNonNull(newHash, "newHash");
        Entry current = live(grantId);
        if (current == null || current.grant.revoked()
                || !current.grant.refreshTokenHash().equals(Optional.of(expectedHash))) {
            return false;
        }
        // When, then the hash rotated out now, then the newest MAX_HISTORY - 1 of those rotated out before.
        int kept = Math.min(current.rotatedOut(), MAX_HISTORY - 1);
        long[] history = new long[1 + (kept + 1) * HashBits.WORDS];
        Instant now = clock.instant();
        history[0] = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        HashBits.write(expectedHash, history, 1);
        if (kept > 0) {
            System.arraycopy(current.history, 1, history, 1 + HashBits.WORDS, kept * HashBits.WORDS);
        }
        return grants.asMap().replace(grantId, current,
                new Entry(current.grant.withRefreshToken(newHash, newExpiresAt), history));
    }

    /** Answers for the hash rotated out last only: the one the reuse interval may excuse. */
    @Override
    public Optional<Rotation> rotationOf(String grantId, String refreshTokenHash) {
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Entry entry = grantId == null ? null : live(grantId);
        if (entry == null || entry.rotatedOut() == 0 || !HashBits.anyOf(entry.history, 1, 1, refreshTokenHash)) {
            return Optional.empty();
        }
        return Optional.of(new Rotation(entry.grant.refreshTokenHash().orElseThrow(), entry.lastIssuedAt()));
    }

    @Override
    public void revoke(String grantId) {
        grants.asMap().computeIfPresent(grantId,
                (id, e) -> e.grant.revoked() ? e : new Entry(e.grant.asRevoked(), e.history));
    }
}
