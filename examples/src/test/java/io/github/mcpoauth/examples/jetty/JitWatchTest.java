package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

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
    void whenCompilationTimeCannotBeReadThenTheJitNeverCountsAsSettled() {
        JitWatch blind = new JitWatch(() -> -1);

        assertThat(blind.canTell()).isFalse();
        assertThat(blind.sliceEnded()).isFalse();
        assertThat(blind.sliceEnded()).isFalse();
    }
}
