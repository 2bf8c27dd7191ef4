package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meter of the example's threads never loses what a thread that ended had used. */
class CpuMeterTest {

    @Test
    void whenAMeasuredThreadEndsThenTheMeterKeepsWhatItCounted() throws Exception {
        CpuMeter meter = CpuMeter.threads("cpu-meter-test-");
        long before = meter.cpuNanos();
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long x = 0;
            while (System.nanoTime() < until) {
                x += System.nanoTime() % 7;
            }
            spun.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (x == 42) {
                System.out.print(""); // keeps the loop from being optimized away
            }
        }, "cpu-meter-test-1");
        worker.start();
        assertThat(spun.await(30, TimeUnit.SECONDS)).isTrue();

        long whileAlive = meter.cpuNanos();
        end.countDown();
        worker.join();
        long afterItEnded = meter.cpuNanos();

        assertThat(whileAlive - before).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(afterItEnded).isGreaterThanOrEqualTo(whileAlive); // a sum of the live threads fell back here
    }
}
