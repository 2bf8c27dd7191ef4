package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.store.StoreCleanup;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import java.time.Clock;
import java.util.Objects;

/**
 * The embedded default: every store in memory, on Caffeine caches whose expiry follows the given {@link Clock}.
 * Nothing survives a restart and nothing is shared between JVMs: use the JDBC stores for that.
 *
 * <p>Bounds: {@value #MAX_CLIENTS} clients and {@value #MAX_CONSENTS} consents, past which the least recently used
 * are dropped (a dropped consent costs the user one more consent page). {@value #MAX_CODES} outstanding codes, never
 * dropped to make room (each is a sign-in under way): a new code past that is refused as unavailable (503), and as
 * many redeemed codes, kept for replay detection, of which the least useful are dropped first. Grants are never dropped
 * while they live: at most {@link Builder#maxGrants} (default {@value #MAX_GRANTS}) are held, and a new grant past that
 * is refused with an {@linkplain StoreException#isUnavailable() unavailable} {@link StoreException}, which the token
 * endpoint answers with 503 and {@code Retry-After} (audited as {@code GRANT_REFUSED}); and at most
 * {@link Builder#maxGrantsPerUserAndClient} (default {@value #MAX_GRANTS_PER_USER_AND_CLIENT}) per resource owner
 * and client, whose new grant replaces their own oldest (audited as {@code GRANT_REPLACED}), so one user logging
 * in again and again never crowds out anyone else.
 */
public final class InMemoryStores {

    /** The most clients held. */
    public static final int MAX_CLIENTS = 10_000;
    /** The most outstanding authorization codes held. */
    public static final int MAX_CODES = 10_000;
    /** The most grants held unless configured otherwise. */
    public static final int MAX_GRANTS = 100_000;
    /** The most grants held per resource owner and client unless configured otherwise. */
    public static final int MAX_GRANTS_PER_USER_AND_CLIENT = 100;
    /** The most consents held. */
    public static final int MAX_CONSENTS = 100_000;

    private final Stores stores;
    private final MemoryGrantStore grants;

    private InMemoryStores(Builder b) {
        Ticker ticker = ClockTicker.of(b.clock);
        this.grants = new MemoryGrantStore(b.clock, ticker, b.maxGrants, b.maxGrantsPerUserAndClient, b.audit);
        this.stores = new Stores(new MemoryClientStore(MAX_CLIENTS), new MemoryCodeStore(b.clock, ticker, MAX_CODES),
                grants, new MemoryConsentStore(MAX_CONSENTS), new MemorySigningKeyStore());
    }

    /** A fresh, empty set of in-memory stores expiring entries by {@code clock}, with the default caps. */
    public static Stores create(Clock clock) {
        return newBuilder(clock).build().stores();
    }

    /** A builder for in-memory stores on {@code clock}. */
    public static Builder newBuilder(Clock clock) {
        return new Builder(clock);
    }

    /** The five stores (the same instances at every call). */
    public Stores stores() {
        return stores;
    }

    /**
     * Housekeeping for these stores: entries expire by themselves, so a pass only drops the expired grants still
     * counted against the cap and forgets users who hold no grant. The server runs it on its schedule.
     */
    public StoreCleanup cleanup() {
        return () -> {
            int before = grants.size();
            grants.purge();
            return new StoreCleanup.Result(0, Math.max(0, before - grants.size()), 0, 0, 0, 0);
        };
    }

    /** How many grants are held now (for monitoring the cap). */
    public int grantCount() {
        return grants.size();
    }

    /** Options of {@link InMemoryStores}; every one has a default. */
    public static final class Builder {
        private final Clock clock;
        private int maxGrants = MAX_GRANTS;
        private int maxGrantsPerUserAndClient = MAX_GRANTS_PER_USER_AND_CLIENT;
        private AuditListener audit = AuditListener.logging();

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The most grants held, 1 to 10,000,000 (default {@value #MAX_GRANTS}); past it new grants get 503. */
        public Builder maxGrants(int maxGrants) {
            this.maxGrants = BuilderChecks.intBetween("maxGrants", maxGrants, 1, 10_000_000);
            return this;
        }

        /**
         * The most grants one resource owner holds with one client, 1 to 10,000 (default
         * {@value #MAX_GRANTS_PER_USER_AND_CLIENT}); past it their new grant replaces their oldest.
         */
        public Builder maxGrantsPerUserAndClient(int max) {
            this.maxGrantsPerUserAndClient = BuilderChecks.intBetween("maxGrantsPerUserAndClient", max, 1, 10_000);
            return this;
        }

        /**
         * Where the stores' own audit events ({@code GRANT_REFUSED}, {@code GRANT_REPLACED}) go (default
         * {@link AuditListener#logging()}); a failing listener never fails a save. The authorization server passes
         * its own listener to the stores it makes.
         */
        public Builder auditListener(AuditListener audit) {
            this.audit = AuditListener.guarded(Objects.requireNonNull(audit, "auditListener"));
            return this;
        }

        /** The stores. */
        public InMemoryStores build() {
            return new InMemoryStores(this);
        }
    }
}
