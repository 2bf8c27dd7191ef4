package io.github.mcpoauth.core.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every cache built through {@link Caches} does its maintenance on the calling thread, never on a pool; a
 * {@link Caches#peek} reads without recording, and never returns an expired entry.
 */
class CachesTest {

    @Test
    void whenAnEntryIsEvictedThenTheListenerRunsOnTheCallingThreadBeforePutReturns() {
        List<Thread> ranOn = new ArrayList<>();
        Cache<String, String> cache = Caches.builder().maximumSize(1)
                .evictionListener((String k, String v, RemovalCause c) ->
                        ranOn.add(Thread.currentThread()))
                .build();

        cache.put("a", "1");
        cache.put("b", "2"); // over the bound: evicted by the maintenance this write runs, here and now

        assertThat(ranOn).containsExactly(Thread.currentThread());
    }

    @Test
    void whenAnEntryIsPeekedThenItIsReturnedWithoutARecordedRead() {
        Cache<String, String> cache = Caches.builder().recordStats().build();
        cache.put("a", "1");

        assertThat(Caches.peek(cache, "a")).isEqualTo("1");
        assertThat(Caches.peek(cache, "b")).isNull();

        assertThat(cache.stats().requestCount()).isZero(); // getIfPresent would have counted a hit and a miss
    }

    @Test
    void whenAnEntryHasExpiredOnTheClockThenPeekReturnsNothing() {
        MutableClock clock = MutableClock.atStart();
        Cache<String, String> cache = Caches.builder().ticker(ClockTicker.of(clock))
                .expireAfterWrite(Duration.ofSeconds(10)).build();
        cache.put("a", "1");

        clock.advance(Duration.ofSeconds(9));
        assertThat(Caches.peek(cache, "a")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(Caches.peek(cache, "a")).isNull();
    }
}
