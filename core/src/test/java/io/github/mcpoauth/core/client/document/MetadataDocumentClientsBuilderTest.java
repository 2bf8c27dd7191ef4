package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetadataDocumentClientsBuilderTest {

    final AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer("https://as.example")
            .build();
    final ClientStore local = InMemoryStores.create(Clock.systemUTC()).clients();

    @Test
    void whenDelegateOrSettingsAreMissingThenBuildNamesTheField() {
        assertThatThrownBy(() -> MetadataDocumentClients.builder().settings(settings).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delegate");
        assertThatThrownBy(() -> MetadataDocumentClients.builder().delegate(local).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("settings");
    }

    @Test
    void whenASetterGetsNullThenItNamesTheField() {
        MetadataDocumentClients.Builder b = MetadataDocumentClients.builder();
        assertThatThrownBy(() -> b.delegate(null)).hasMessage("delegate");
        assertThatThrownBy(() -> b.settings(null)).hasMessage("settings");
        assertThatThrownBy(() -> b.addressPolicy(null)).hasMessage("addressPolicy");
        assertThatThrownBy(() -> b.resolver(null)).hasMessage("resolver");
        assertThatThrownBy(() -> b.sslContext(null)).hasMessage("sslContext");
        assertThatThrownBy(() -> b.timeout(null)).hasMessage("timeout");
    }

    @Test
    void whenAValueIsOutOfRangeThenTheSetterNamesTheField() {
        MetadataDocumentClients.Builder b = MetadataDocumentClients.builder();
        assertThatThrownBy(() -> b.timeout(Duration.ofMillis(10))).hasMessageStartingWith("timeout must be");
        assertThatThrownBy(() -> b.timeout(Duration.ofMinutes(5))).hasMessageStartingWith("timeout must be");
        assertThatThrownBy(() -> b.maxDocumentSize(100)).hasMessageStartingWith("maxDocumentSize must be");
        assertThatThrownBy(() -> b.maxDocumentSize(1 << 20)).hasMessageStartingWith("maxDocumentSize must be");
        assertThatThrownBy(() -> b.minCacheLifetime(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("minCacheLifetime must be");
        assertThatThrownBy(() -> b.maxCacheLifetime(Duration.ofDays(30)))
                .hasMessageStartingWith("maxCacheLifetime must be");
        assertThatThrownBy(() -> b.maximumCachedClients(0)).hasMessageStartingWith("maximumCachedClients must be");
        assertThatThrownBy(() -> b.maxConcurrentFetches(0)).hasMessageStartingWith("maxConcurrentFetches must be");
    }

    @Test
    void whenCacheLifetimesAreOutOfOrderThenBuildRefuses() {
        assertThatThrownBy(() -> MetadataDocumentClients.builder().delegate(local).settings(settings)
                .minCacheLifetime(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("minCacheLifetime");
    }

    @Test
    void whenOnlyTheRequiredFieldsAreGivenThenTheProductionDefaultsApply() {
        assertThat(MetadataDocumentClients.wrap(local, settings)).isNotNull();
    }
}
