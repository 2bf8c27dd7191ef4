package io.github.mcpoauth.core.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every cache built through {@link Caches} does its maintenance on the calling thread, never on a pool. */
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
}
