package io.github.mcpoauth.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreCleanupTest {

    @Test
    void whenNoneThenRemovesNothing() {
        assertThat(StoreCleanup.none().run()).isEqualTo(StoreCleanup.Result.EMPTY);
    }

    @Test
    void whenResultCountedThenTotalIsTheSum() {
        assertThat(new StoreCleanup.Result(1, 2, 3, 4, 5, 6).total()).isEqualTo(21);
        assertThatThrownBy(() -> new StoreCleanup.Result(0, -1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenScheduledThenRunsRepeatedlyAndAFailedRunDoesNotStopTheNext() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        StoreCleanup flaky = () -> {
            threeRuns.countDown();
            if (runs.incrementAndGet() == 1) {
                throw StoreException.unavailable("purge failed: store unavailable", null);
            }
            return new StoreCleanup.Result(1, 0, 0, 0, 0, 0);
        };
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> future = flaky.schedule(executor, Duration.ZERO, Duration.ofMillis(5));

            assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
            future.cancel(false);
            assertThat(future.isCancelled()).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void whenScheduledWithBadTimingThenRejectedNamingTheField() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            StoreCleanup none = StoreCleanup.none();
            assertThatThrownBy(() -> none.schedule(executor, Duration.ZERO, Duration.ZERO))
                    .hasMessageStartingWith("period");
            assertThatThrownBy(() -> none.schedule(executor, Duration.ofSeconds(-1), Duration.ofMinutes(5)))
                    .hasMessageStartingWith("initialDelay");
            assertThatThrownBy(() -> none.schedule(null, Duration.ZERO, Duration.ofMinutes(5)))
                    .hasMessageContaining("executor");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void whenStoreExceptionMadeThenItTellsAnOutageFromAFailure() {
        assertThat(StoreException.unavailable("x", null).isUnavailable()).isTrue();
        assertThat(StoreException.failed("x", null).isUnavailable()).isFalse();
    }
}
