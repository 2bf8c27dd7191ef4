package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a budget line prints its figure: never as the budget when the figure misses it. */
class ReportTest {

    @Test
    void whenARatioIsJustBelowItsBudgetThenItPrintsBelowIt() {
        assertThat(Report.roundedDown(0.9497, 3)).isEqualTo("0.949");
        assertThat(Report.roundedDown(0.795, 2)).isEqualTo("0.79");
    }

    @Test
    void whenARatioMeetsItsBudgetThenItPrintsAtLeastTheBudget() {
        assertThat(Report.roundedDown(0.95, 3)).isEqualTo("0.950");
        assertThat(Report.roundedDown(0.80, 2)).isEqualTo("0.80");
        assertThat(Report.roundedDown(2.0009, 3)).isEqualTo("2.000");
    }

    @Test
    void whenARatioIsNotFiniteThenItPrintsAsIs() {
        assertThat(Report.roundedDown(Double.NaN, 3)).isEqualTo("NaN");
    }
}
