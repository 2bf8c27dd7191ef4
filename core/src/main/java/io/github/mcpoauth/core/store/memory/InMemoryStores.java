package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.store.Stores;
import java.time.Clock;
import java.util.Objects;

/**
 * The embedded default: every store in memory, on bounded Caffeine caches whose expiry follows the given
 * {@link Clock}. Nothing survives a restart and nothing is shared between JVMs: use the JDBC stores for that.
 *
 * <p>Bounds: {@value #MAX_CLIENTS} clients, {@value #MAX_CODES} outstanding codes, {@value #MAX_GRANTS} grants,
 * {@value #MAX_CONSENTS} consents; past a bound the least recently used entries are dropped.
 */
public final class InMemoryStores {

    /** The most clients held. */
    public static final int MAX_CLIENTS = 10_000;
    /** The most outstanding authorization codes held. */
    public static final int MAX_CODES = 10_000;
    /** The most grants held. */
    public static final int MAX_GRANTS = 100_000;
    /** The most consents held. */
    public static final int MAX_CONSENTS = 100_000;

    private InMemoryStores() {
    }

    /** A fresh, empty set of in-memory stores expiring entries by {@code clock}. */
    public static Stores create(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Ticker ticker = ClockTicker.of(clock);
        return new Stores(new MemoryClientStore(MAX_CLIENTS), new MemoryCodeStore(clock, ticker, MAX_CODES),
                new MemoryGrantStore(clock, ticker, MAX_GRANTS), new MemoryConsentStore(MAX_CONSENTS),
                new MemorySigningKeyStore());
    }
}
