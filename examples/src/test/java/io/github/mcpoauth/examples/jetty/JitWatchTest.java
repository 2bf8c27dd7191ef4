package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link JitWatch}: two quiet slices in a row, and the JIT has settled. */
class JitWatchTest {

    private final AtomicLong compiled = new AtomicLong(1_000);
    private final JitWatch watch = new JitWatch(compiled::get);

    private boolean slice(long millis) {
        compiled.addAndGet(millis);
        return watch.sliceEnded();
    }

    @Test
    void whenTwoSlicesInARowAreQuietThenTheJitHasSettled() {
        assertThat(slice(JitWatch.SETTLED_MILLIS)).isFalse();
        assertThat(watch.lastSliceMillis()).isEqualTo(JitWatch.SETTLED_MILLIS);
        assertThat(slice(0)).isTrue();
    }

    @Test
    void whenABusySliceComesBetweenThenTheCountStartsAgain() {
        assertThat(slice(10)).isFalse();
        assertThat(slice(JitWatch.SETTLED_MILLIS + 1)).isFalse();
        assertThat(slice(10)).isFalse();
        assertThat(slice(10)).isTrue();
    }

    @Test
    void whenCompilationTimeCannotBeReadThenTheJitNeverCountsAsSettled() throws Exception {
        JitWatch blind = new JitWatch(() -> -1);

        assertThat(blind.canTell()).isFalse();
        assertThat(blind.sliceEnded()).isFalse();
        assertThat(blind.sliceEnded()).isFalse();
        long t0 = System.nanoTime();
        assertThat(blind.awaitSettled(Duration.ofSeconds(30))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1)); // no wait for nothing
    }

    @Test
    void whenTheQueueDrainsThenTheWaitEndsTwoQuietSlicesLater() throws Exception {
        // a compiler busy for the first two slices (one C2 thread working off its queue), then idle
        AtomicLong reads = new AtomicLong();
        JitWatch draining = new JitWatch(() -> reads.incrementAndGet() <= 3 ? reads.get() * 900 : 2_700);
        long t0 = System.nanoTime();

        assertThat(draining.awaitSettled(Duration.ofSeconds(30))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(4))
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void whenTheLastSliceIsShorterThanASecondThenItDoesNotCountTowardSettling() throws Exception {
        // nothing compiled, ever: one whole quiet slice, then half a second that must not count as the second
        assertThat(new JitWatch(() -> 0).awaitSettled(Duration.ofMillis(1_500))).isFalse();
        assertThat(new JitWatch(() -> 0).awaitSettled(Duration.ofMillis(2_500))).isTrue();
    }

    @Test
    void whenStopSaysSoThenTheWaitEndsUnsettledAtOnce() throws Exception {
        long t0 = System.nanoTime();

        assertThat(new JitWatch(() -> 0).awaitSettled(Duration.ofSeconds(30), () -> true)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void whenTheJitKeepsCompilingThenTheWaitEndsAtItsLimitUnsettled() throws Exception {
        JitWatch busy = new JitWatch(() -> compiled.addAndGet(JitWatch.SETTLED_MILLIS + 1));
        long t0 = System.nanoTime();

        assertThat(busy.awaitSettled(Duration.ofMillis(1_500))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }
}
