package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The builder's validation; needs no database. */
class JdbcStoresTest {

    private final DataSource dataSource = new PGSimpleDataSource();
    private final Clock clock = MutableClock.at(MutableClock.START);

    @Test
    void whenDataSourceOrClockMissingThenRejectedNamingIt() {
        assertThatThrownBy(() -> JdbcStores.newBuilder(null, clock)).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, null)).hasMessageContaining("clock");
        assertThatThrownBy(() -> JdbcStores.create(null, clock)).hasMessageContaining("dataSource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "OAuth", "o-auth", "1oauth", "oauth; drop table x", "\"oauth\""})
    void whenSchemaIsNotAPlainLowerCaseIdentifierThenRejectedNamingTheField(String schema) {
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, clock).schema(schema))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mcp_", "1x_", "x-y_", "a b", "abcdefghijklmnopqrstuvwxyz_12345"})
    void whenTablePrefixIsInvalidThenRejectedNamingTheField(String prefix) {
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, clock).tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tablePrefix");
    }

    @Test
    void whenTablePrefixIsEmptyWithoutASchemaThenRejected() {
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, clock).tablePrefix("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    }

    @Test
    void whenQueryTimeoutIsNotPositiveThenRejectedNamingTheField() {
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, clock).queryTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("queryTimeout");
        assertThatThrownBy(() -> JdbcStores.newBuilder(dataSource, clock).queryTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("queryTimeout");
    }

    @Test
    void whenCleanupIdleLimitIsUnderADayThenRejectedNamingTheField() {
        JdbcStores jdbc = JdbcStores.newBuilder(dataSource, clock).build();

        assertThatThrownBy(() -> jdbc.cleanup(Duration.ofHours(23), c -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("idleFor");
        assertThatThrownBy(() -> jdbc.cleanup(Duration.ofDays(2), null)).hasMessageContaining("deletable");
    }

    @Test
    void whenBuiltThenTheSameStoresAreReturnedEveryTime() {
        JdbcStores jdbc = JdbcStores.newBuilder(dataSource, clock).schema("oauth").tablePrefix("x_").build();

        assertThat(jdbc.stores()).isSameAs(jdbc.stores());
        assertThat(jdbc).hasToString("JdbcStores[tables=oauth.x_*]");
    }
}
