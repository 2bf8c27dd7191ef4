package io.github.mcpoauth.core.internal.settings;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The start of every Caffeine cache in this library: maintenance (draining the read and write buffers, expiry,
 * eviction, removal listeners) runs on the calling thread, never on {@code ForkJoinPool.commonPool()}. A request
 * then never wakes a pool thread to tidy a cache it read (on the guard's path that cost about 5% of a request's CPU,
 * issue 13), an expired entry is dropped by the cache's own callers rather than behind a pass nobody waits for, and
 * no work of ours lands on a pool the application shares.
 */
public final class Caches {

    private Caches() {
    }

    /** A builder whose maintenance runs on the calling thread; set the bounds, expiry and ticker on it. */
    public static Caffeine<Object, Object> builder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }

    /**
     * The live value of {@code key}, or {@code null} (absent or expired), read without the side effects of
     * {@link Cache#getIfPresent}: no read recorded in the cache's buffer, so no reordering of the eviction policy,
     * no {@code expireAfterRead} and no maintenance drained on this thread. For a hot read whose answer the
     * eviction order need not learn from: the guard's lookups of a known token and of its grant, where the
     * recorded read and the drains it triggered cost about half of the guard's own CPU per request (issue 13).
     * Expiry still holds: an entry past its time is never returned.
     */
    public static <K, V> V peek(Cache<K, V> cache, K key) {
        return cache.policy().getIfPresentQuietly(key);
    }
}
