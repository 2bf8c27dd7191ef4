package io.github.mcpoauth.core.internal.settings;

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
}
