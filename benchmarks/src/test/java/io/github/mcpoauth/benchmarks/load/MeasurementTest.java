package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Runs of one operation summed up as one measurement ({@link Interleaved}'s turns), and the median of runs. */
class MeasurementTest {

    @Test
    void whenSlicesAreSummedThenOpsTimeCpuAndPercentilesAreThoseOfAllTheirOperations() {
        Measurement.Slice fast = new Measurement.Slice(new long[] {1_000, 2_000, 3_000}, 0, 1.0, null, 30_000);
        Measurement.Slice slow = new Measurement.Slice(new long[] {100_000}, 1, 1.0, "boom", 70_000);

        Measurement m = Measurement.of("op", List.of(fast, slow));

        assertThat(m.ops()).isEqualTo(4);
        assertThat(m.errors()).isEqualTo(1);
        assertThat(m.seconds()).isEqualTo(2.0);
        assertThat(m.opsPerSecond()).isEqualTo(1.5); // 4 operations, one failed, in 2 s
        assertThat(m.p50Micros()).isEqualTo(2.0);
        assertThat(m.p99Micros()).isEqualTo(100.0);
        assertThat(m.cpuMicrosPerOp()).isEqualTo(25.0); // 100 µs of CPU over 4 operations
        assertThat(m.firstError()).isEqualTo("boom");
    }

    @Test
    void whenRunsAreGivenThenTheMedianIsTheMiddleRunBySpeed() {
        Measurement slow = run(1_000, 0.4);
        Measurement middle = run(1_000, 0.2);
        Measurement fast = run(1_000, 0.1);

        assertThat(Measurement.median(List.of(fast, slow, middle))).isSameAs(middle);
        // of an even number, the faster of the middle two
        assertThat(Measurement.median(List.of(slow, fast, middle, run(1_000, 0.3)))).isSameAs(middle);
        assertThat(Measurement.median(List.of(slow))).isSameAs(slow);
        assertThatThrownBy(() -> Measurement.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenRunsAreGivenThenTheSlowestIsTheRunOfFewestOperationsASecond() {
        Measurement slow = run(1_000, 0.4);
        Measurement middle = run(1_000, 0.2);
        Measurement fastButLong = run(3_000, 0.5);

        assertThat(Measurement.slowest(List.of(middle, fastButLong, slow))).isSameAs(slow);
        assertThat(Measurement.slowest(List.of(middle))).isSameAs(middle);
        assertThatThrownBy(() -> Measurement.slowest(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Measurement run(int ops, double seconds) {
        return Measurement.of("op", List.of(new Measurement.Slice(new long[ops], 0, seconds, null, -1)));
    }

    @Test
    void whenOneSliceDidNotReadTheCpuThenTheCpuPerOperationIsUnknown() {
        Measurement.Slice read = new Measurement.Slice(new long[] {1_000}, 0, 1.0, null, 10_000);
        Measurement.Slice unread = new Measurement.Slice(new long[] {1_000}, 0, 1.0, null, -1);

        assertThat(Measurement.of("op", List.of(read, unread)).cpuMicrosPerOp()).isNaN();
    }
}
