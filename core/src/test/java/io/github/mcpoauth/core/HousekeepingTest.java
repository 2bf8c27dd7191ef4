package io.github.mcpoauth.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.StoreCleanup;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 14 #9: housekeeping is on by default, runs on its own daemon thread, and {@code close()} stops it. */
class HousekeepingTest {

    private final MutableClock clock = MutableClock.atStart();

    @Test
    void whenServerOwnsItsStoresThenHousekeepingRunsUntilClosed() {
        AuthorizationServer server = AuthorizationServer.builder()
                .settings(TestServer.settings(clock).build()).build();

        assertThat(server.settings().cleanupInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(server.housekeepingRunning()).isTrue();
        server.close();
        assertThat(server.housekeepingRunning()).isFalse();
        server.close(); // idempotent
    }

    @Test
    void whenHostCleanupGivenThenItRunsEveryIntervalOnADaemonThreadUntilClosed() throws Exception {
        CountDownLatch twoRuns = new CountDownLatch(2);
        Thread[] ranOn = new Thread[1];
        StoreCleanup counting = () -> {
            ranOn[0] = Thread.currentThread();
            twoRuns.countDown();
            return StoreCleanup.Result.EMPTY;
        };
        AuthorizationServer server = AuthorizationServer.builder()
                .settings(TestServer.settings(clock).cleanupInterval(Duration.ofSeconds(1)).build())
                .stores(InMemoryStores.create(clock)).cleanup(counting).build();
        try {
            assertThat(twoRuns.await(60, TimeUnit.SECONDS)).as("two cleanup passes").isTrue();
            assertThat(ranOn[0].isDaemon()).isTrue();
            assertThat(ranOn[0].getName()).isEqualTo("mcp-oauth-housekeeping");
        } finally {
            server.close();
        }
        ranOn[0].join(TimeUnit.SECONDS.toMillis(30));
        assertThat(ranOn[0].isAlive()).as("the cleanup thread ended").isFalse();
    }

    @Test
    void whenHostStoresWithoutCleanupThenNoHousekeeping() {
        try (AuthorizationServer server = AuthorizationServer.builder().settings(TestServer.settings(clock).build())
                .stores(InMemoryStores.create(clock)).build()) {
            assertThat(server.housekeepingRunning()).isFalse();
        }
    }

    @Test
    void whenIntervalIsZeroThenNoHousekeeping() {
        try (AuthorizationServer server = AuthorizationServer.builder()
                .settings(TestServer.settings(clock).cleanupInterval(Duration.ZERO).build()).build()) {
            assertThat(server.housekeepingRunning()).isFalse();
        }
    }
}
