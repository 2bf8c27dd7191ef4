package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code JDBC_URL}, {@code JDBC_USER} and {@code JDBC_PASSWORD} in {@link ExampleConfig#fromEnvironment()}. */
class ExampleConfigDatabaseTest {

    @Test
    void whenJdbcUrlIsUnsetThenStoresAreInMemory() {
        assertThat(ExampleConfig.fromEnvironment(Map.of()).database()).isNull();
        assertThat(ExampleConfig.fromEnvironment(Map.of("JDBC_URL", "  ")).database()).isNull();
        assertThat(ExampleConfig.ephemeral().database()).isNull();
    }

    @Test
    void whenJdbcUrlUserAndPasswordAreSetThenTheyNameTheDatabase() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of("JDBC_URL", " jdbc:postgresql://db.internal:5432/app ",
                "JDBC_USER", "app", "JDBC_PASSWORD", "s3cret"));

        assertThat(c.database()).isEqualTo(
                new ExampleConfig.Database("jdbc:postgresql://db.internal:5432/app", "app", "s3cret"));
    }

    @Test
    void whenOnlyJdbcUrlIsSetThenUserAndPasswordComeFromTheUrl() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of("JDBC_URL", "jdbc:postgresql://localhost/app"));

        assertThat(c.database().user()).isNull();
        assertThat(c.database().password()).isNull();
    }

    @Test
    void whenDatabaseIsPrintedThenNeitherPasswordNorUrlParametersShow() {
        ExampleConfig.Database db = new ExampleConfig.Database(
                "jdbc:postgresql://db.internal/app?user=app&password=in-url", "app", "s3cret");

        assertThat(db.toString()).isEqualTo("jdbc:postgresql://db.internal/app?… as app")
                .doesNotContain("s3cret").doesNotContain("in-url");
    }

    @Test
    void whenJdbcSettingsAreBadThenConfigurationFails() {
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("JDBC_URL", "jdbc:mysql://localhost/app")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JDBC_URL");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("JDBC_USER", "app")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JDBC_URL");
    }

    @Test
    void whenDatabaseIsSetThenOtherSettingsAreKept() {
        ExampleConfig.Database db = new ExampleConfig.Database("jdbc:postgresql://localhost/app", null, null);

        ExampleConfig c = ExampleConfig.ephemeral().withDatabase(db);

        assertThat(c.database()).isEqualTo(db);
        assertThat(c.port()).isZero();
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.withIssuer(java.net.URI.create("https://mcp.example.test")).database()).isEqualTo(db);
    }
}
