package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ExampleConfigTest {

    @Test
    void defaults() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bindHost()).isNull();
        assertThat(c.issuer()).isNull();
        assertThat(c.effectiveIssuer(8080)).isEqualTo(URI.create("http://localhost:8080"));
    }

    @Test
    void portAndIssuerFromEnvironment() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of("PORT", "9090", "ISSUER", "https://mcp.example.com/"));
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.effectiveIssuer(9090)).isEqualTo(URI.create("https://mcp.example.com"));
    }

    @Test
    void issuerDefaultsToThePortWhenOnlyPortIsSet() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of("PORT", "9091"));
        assertThat(c.effectiveIssuer(9091)).isEqualTo(URI.create("http://localhost:9091"));
    }

    @Test
    void ephemeralDerivesIssuerFromBindHost() {
        assertThat(ExampleConfig.ephemeral().effectiveIssuer(4242)).isEqualTo(URI.create("http://127.0.0.1:4242"));
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PORT is not a number");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("PORT must be 0 to 65535: 70000");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("ISSUER", "/relative")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("ISSUER", "ftp://host")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("ISSUER", "https://host/?q=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
