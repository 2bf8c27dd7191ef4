package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a JVM's JIT and GC did, as our server's JVM tells the harness over its standard output. */
class JvmActivityTest {

    @Test
    void whenWrittenAsALineThenParsingGivesItBack() {
        JvmActivity activity = new JvmActivity(1234, 7, 56);

        assertThat(JvmActivity.parse(activity.toLine())).isEqualTo(activity);
    }

    @Test
    void whenReadLaterThenSinceSaysWhatWasDoneInBetween() {
        JvmActivity before = new JvmActivity(100, 2, 10);

        assertThat(before.since(new JvmActivity(250, 5, 31)))
                .isEqualTo("the JIT compiled 150 ms, the GC collected 3 times (21 ms)");
    }

    @Test
    void whenTheLineIsNotAnActivityThenParsingFailsSayingSo() {
        assertThatThrownBy(() -> JvmActivity.parse("LISTENING 8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JVM's activity");
    }
}
