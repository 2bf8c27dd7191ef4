package io.github.mcpoauth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code AuthorizationServerSettings.signingKeyRotation}: how long each signing key signs. */
class SigningKeyRotationSettingTest {

    private final MutableClock clock = MutableClock.atStart();

    @Test
    void whenRotationIsSetThenEachKeySignsThatLong() {
        try (AuthorizationServer server = AuthorizationServer.builder()
                .settings(TestServer.settings(clock).signingKeyRotation(Duration.ofDays(7)).build()).build()) {
            String kid = server.signingKeys().currentKey().getKeyID();

            SigningKey stored = server.stores().keys().findAll().get(0);
            assertThat(stored.keyId()).isEqualTo(kid);
            assertThat(Duration.between(stored.activatesAt(), stored.retiresAt())).isEqualTo(Duration.ofDays(7));
        }
    }

    @Test
    void whenRotationIsNotSetThenKeysSignForNinetyDays() {
        assertThat(TestServer.settings(clock).build().signingKeyRotation()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void whenRotationIsOutOfBoundsThenTheBuilderNamesIt() {
        AuthorizationServerSettings.Builder b = TestServer.settings(clock);
        assertThatThrownBy(() -> b.signingKeyRotation(Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signingKeyRotation");
        assertThatThrownBy(() -> b.signingKeyRotation(Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signingKeyRotation");
    }
}
