package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The harness's command line: which HTTP client drives both servers, how long the warm-up may last. */
class LoadOptionsTest {

    @Test
    void whenNoHttpClientIsGivenThenTheLeanClientDrives() {
        assertThat(LoadOptions.parse("--clients", "4").httpClient()).isEqualTo(HttpSender.Kind.LEAN);
        assertThat(HttpSender.Kind.LEAN.newSender()).isInstanceOf(LeanHttpClient.class);
    }

    @Test
    void whenHttpClientIsJdkThenTheJdkClientDrives() {
        LoadOptions o = LoadOptions.parse("--http-client", "jdk", "--clients", "4");

        assertThat(o.httpClient()).isEqualTo(HttpSender.Kind.JDK);
        assertThat(o.clients()).isEqualTo(4);
        assertThat(o.httpClient().newSender()).isInstanceOf(JdkHttpSender.class);
    }

    @Test
    void whenHttpClientIsUnknownThenParsingFailsNamingTheOption() {
        assertThatThrownBy(() -> LoadOptions.parse("--http-client", "okhttp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http-client");
    }

    @Test
    void whenNoWarmUpIsGivenThenItLastsTwentyToNinetySecondsAndEveryMeasurementUpToHalfAMillionOperations() {
        LoadOptions o = LoadOptions.parse();

        assertThat(o.warmup()).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(o.warmupMax()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(o.maxOps()).isEqualTo(500_000);
    }

    @Test
    void whenNoServerJvmIsGivenThenOurServerRunsInAJvmOfItsOwn() {
        assertThat(LoadOptions.parse().separateServerJvm()).isTrue();
        assertThat(LoadOptions.parse("--server-jvm", "separate").separateServerJvm()).isTrue();
    }

    @Test
    void whenNoWarmUpFlowsAreGivenThenOurServerRunsTheLibrarysDefaultWithoutAWarmStartAndNoneAfterOne() {
        assertThat(LoadOptions.parse().warmUpFlows()).isEqualTo(LoadOptions.WARM_UP_FLOWS).isEqualTo(1);
        assertThat(LoadOptions.parse("--warm-start", "120").warmUpFlows()).isZero();
        assertThat(LoadOptions.parse("--warm-start", "120", "--warm-up-flows", "3").warmUpFlows()).isEqualTo(3);
        assertThat(LoadOptions.parse("--warm-up-flows", "0").warmUpFlows()).isZero();
    }

    @Test
    void whenServerJvmIsSameThenOurServerRunsInTheHarnessJvm() {
        assertThat(LoadOptions.parse("--server-jvm", "same").separateServerJvm()).isFalse();
    }

    @Test
    void whenServerJvmIsUnknownThenParsingFailsNamingTheOption() {
        assertThatThrownBy(() -> LoadOptions.parse("--server-jvm", "forked"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--server-jvm");
    }

    @Test
    void whenTheWarmUpMaximumIsBelowTheMinimumThenTheMinimumIsTheMaximum() {
        LoadOptions o = LoadOptions.parse("--warmup", "20", "--warmup-max", "3");

        assertThat(o.warmup()).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(o.warmupMax()).isEqualTo(java.time.Duration.ofSeconds(20));
    }
}
