package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@link WarmStart}: whole rounds through a twin's real HTTP, and nothing left running after it. */
class WarmStartTest {

    /** The example's twins, as {@link ExampleServer#main} warms up with them. */
    private static final AuthorizationInstaller TWIN = ExampleServer.twin(null);

    @Test
    void whenWarmingUpThenEveryRoundSucceedsAndTheTwinIsStopped() throws Exception {
        WarmStart.Outcome outcome = WarmStart.run(Duration.ofSeconds(2), 2, new ServerPools(), TWIN);

        assertThat(outcome.failures()).as("first failure: %s", outcome.firstFailure()).isZero();
        assertThat(outcome.rounds()).isPositive();
        assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("warm-up-"));
    }

    @Test
    void whenWarmedThenTheRealServerTakesOverTheTwinsThreadsAndStopsThemWhenItCloses() throws Exception {
        ServerPools pools = new ServerPools();
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();

        WarmStart.run(Duration.ofSeconds(2), 4, pools, TWIN);
        java.util.Set<Thread> warmed = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        warmed.removeIf(t -> before.contains(t) || !t.getName().startsWith("example-http"));
        assertThat(warmed).as("request threads left running by the twins").hasSizeGreaterThan(ServerPools.MIN_THREADS)
                .hasSize(pools.startedThreads());
        try (RunningExample real = ExampleServer.start(ExampleConfig.ephemeral(), pools)) {
            java.net.http.HttpResponse<String> metadata = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(real.baseUri().resolve(
                            "/.well-known/oauth-authorization-server")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.body()).contains("\"issuer\":\"http:\\/\\/127.0.0.1:" + real.port() + "\"");
            assertThat(warmed).as("the twins' threads, serving the real server").allMatch(Thread::isAlive);
        }
        assertThat(pools.startedThreads()).as("threads after the real server closed").isZero();
        for (Thread t : warmed) {
            t.join(5_000);
        }
        assertThat(warmed).noneMatch(Thread::isAlive);
    }

    @Test
    void whenAClientHasRunItsRoundsThenANewClientTakesItsPlace() throws Exception {
        // each twin its full share: the JIT never says it has settled
        WarmStart.Outcome outcome = WarmStart.run(Duration.ofSeconds(20), 1, new ServerPools(), TWIN, () -> -1,
                WarmStart.ROUNDS_PER_TWIN);

        assertThat(outcome.failures()).as("first failure: %s", outcome.firstFailure()).isZero();
        // enough rounds that one client per twin would be too few
        assertThat(outcome.rounds()).isGreaterThan((long) WarmStart.ROUNDS_PER_CLIENT * (WarmStart.CYCLES + 1));
        // one client at a time: a new one after every ROUNDS_PER_CLIENT rounds, and one at each twin's start (the
        // rehearsal's too)
        assertThat(outcome.clients()).isGreaterThanOrEqualTo(outcome.rounds() / WarmStart.ROUNDS_PER_CLIENT)
                .isLessThanOrEqualTo(outcome.rounds() / WarmStart.ROUNDS_PER_CLIENT + WarmStart.CYCLES + 1);
    }

    @Test
    void whenTheJitIsQuietThenEachTwinStopsAfterTwoSecondsInsteadOfItsShare() throws Exception {
        Duration budget = Duration.ofSeconds(60);

        // nothing compiled, ever
        WarmStart.Outcome outcome = WarmStart.run(budget, 1, new ServerPools(), TWIN, () -> 0,
                WarmStart.ROUNDS_PER_TWIN);

        assertThat(outcome.failures()).as("first failure: %s", outcome.firstFailure()).isZero();
        assertThat(outcome.settled()).isEqualTo(WarmStart.CYCLES + 1); // the rehearsal too
        assertThat(outcome.quiet()).isTrue();
        // two quiet slices per twin, the rehearsal's two, and two in each wait (after the twins, after the rehearsal)
        assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2L * WarmStart.CYCLES + 6))
                .isLessThan(budget.dividedBy(2));
    }

    @Test
    void whenATwinHasRunItsRoundsThenTheNextTakesOverBeforeItsStoreIsFull() throws Exception {
        Duration budget = Duration.ofSeconds(60);

        // the JIT never settled
        WarmStart.Outcome outcome = WarmStart.run(budget, 2, new ServerPools(), TWIN, () -> -1, 40);

        assertThat(outcome.failures()).as("first failure: %s", outcome.firstFailure()).isZero();
        assertThat(outcome.settled()).isZero();
        assertThat(outcome.quiet()).isFalse(); // not known, so not waited for
        // each twin stopped at its 40 rounds (the cap is read once a second), not at its 20 s share
        assertThat(outcome.rounds()).isGreaterThanOrEqualTo(40L * WarmStart.CYCLES);
        assertThat(outcome.took()).isLessThan(budget.dividedBy(2));
    }

    @Test
    void whenTheJitKeepsCompilingThenEachTwinRunsItsShare() throws Exception {
        AtomicLong compiled = new AtomicLong();

        WarmStart.Outcome outcome = WarmStart.run(Duration.ofSeconds(6), 1, new ServerPools(), TWIN,
                () -> compiled.addAndGet(JitWatch.SETTLED_MILLIS + 1), WarmStart.ROUNDS_PER_TWIN);

        assertThat(outcome.settled()).isZero();
        assertThat(outcome.quiet()).isFalse();
        // the rehearsal's 1.5 s (a quarter), the twins' 4.5 s, and twice a twin's share (1.5 s) waiting for a JIT
        // that never settles: after the twins and after the rehearsal
        assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void whenWarmingUpThenNoAuditLineIsLogged() throws Exception {
        java.util.logging.Logger audit = java.util.logging.Logger.getLogger("io.github.mcpoauth.audit");
        java.util.List<java.util.logging.LogRecord> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        audit.addHandler(capture);
        try {
            WarmStart.Outcome outcome = WarmStart.run(Duration.ofSeconds(1), 1, new ServerPools(), TWIN);

            assertThat(outcome.rounds()).isPositive();
            assertThat(lines).isEmpty();
        } finally {
            audit.removeHandler(capture);
        }
    }

    @Test
    void whenTheExampleWarmsUpThenItsTwinsHaveTheRealServersSettings() throws Exception {
        DemoMachineClients demo = DemoMachineClients.generate(java.time.Clock.systemUTC());
        try (RunningExample real = ExampleServer.start(ExampleConfig.ephemeral()
                .withAuthorizationInstaller(ExampleServer.warmStarted(null, demo)));
                RunningExample twin = ExampleServer.start(ExampleConfig.ephemeral()
                        .withAuthorizationInstaller(ExampleServer.twin(demo)))) {
            String realMetadata = serverMetadata(real);

            // the same endpoints, grants, DPoP algorithms and scopes, but for the address
            assertThat(serverMetadata(twin).replace(twin.baseUri().toString(), "<base>"))
                    .isEqualTo(realMetadata.replace(real.baseUri().toString(), "<base>"))
                    .contains("dpop_signing_alg_values_supported");
        }
    }

    @Test
    void whenATwinOffersOtherScopesThenItsClientsAskForThoseAndEveryRoundSucceeds() throws Exception {
        AuthorizationInstaller otherScopes = (ctx, issuer) -> ctx.addServletContainerInitializer(
                io.github.mcpoauth.servlet.McpOAuth.builder()
                        .settings(io.github.mcpoauth.core.settings.AuthorizationServerSettings.builder().issuer(issuer)
                                .resource(issuer + ExampleServer.MCP_PATH)
                                .scopes(java.util.Set.of("tools:read", "tools:call")).build())
                        .rateLimits(io.github.mcpoauth.servlet.limit.RateLimits.none())
                        .authenticator(ExampleServer.defaultLogin())
                        .authorizationServer(server -> server.warmUpFlows(0))
                        .build().initializer());

        WarmStart.Outcome outcome = WarmStart.run(Duration.ofSeconds(2), 2, new ServerPools(), otherScopes);

        assertThat(outcome.failures()).as("first failure: %s", outcome.firstFailure()).isZero();
        assertThat(outcome.rounds()).isPositive();
    }

    private static String serverMetadata(RunningExample example) throws Exception {
        URI metadata = example.baseUri().resolve("/.well-known/oauth-authorization-server");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metadata).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().replace("\\/", "/"); // JSON may escape a slash
    }

    @Test
    void whenSummarizedThenTheSentenceSaysEveryFigureAndTheFirstFailureIfAny() {
        WarmStart.Outcome clean = new WarmStart.Outcome(1200, 40, 0, Duration.ofMillis(2500), 2, true,
                Optional.empty());
        WarmStart.Outcome failed = new WarmStart.Outcome(7, 1, 1, Duration.ofSeconds(3), 0, false, Optional.of("503"));

        assertThat(clean.summary()).isEqualTo("1200 rounds by 40 clients, 0 failures in 2500 ms, 2 of "
                + (WarmStart.CYCLES + 1) + " twins (the last the rehearsal) stopped once the JIT had settled, the JIT "
                + "quiet at the end");
        assertThat(failed.summary()).endsWith("0 of " + (WarmStart.CYCLES + 1) + " twins (the last the rehearsal) "
                + "stopped once the JIT had settled, the JIT still compiling at the end; first: 503");
    }

    @Test
    void whenWarmUpSecondsIsUnsetOrZeroThenNone() {
        assertThat(ExampleConfig.warmUpFromEnvironment(Map.of())).isZero();
        assertThat(ExampleConfig.warmUpFromEnvironment(Map.of("WARM_UP_SECONDS", " 0 "))).isZero();
        assertThat(ExampleConfig.warmUpFromEnvironment(Map.of("WARM_UP_SECONDS", "30")))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void whenWarmUpSecondsIsBadThenTheErrorNamesIt() {
        assertThatThrownBy(() -> ExampleConfig.warmUpFromEnvironment(Map.of("WARM_UP_SECONDS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WARM_UP_SECONDS");
        assertThatThrownBy(() -> ExampleConfig.warmUpFromEnvironment(Map.of("WARM_UP_SECONDS", "601")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WARM_UP_SECONDS");
        assertThatThrownBy(() -> WarmStart.run(Duration.ofSeconds(-1), 1, new ServerPools(), TWIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> WarmStart.run(Duration.ZERO, 0, new ServerPools(), TWIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clients");
    }
}
