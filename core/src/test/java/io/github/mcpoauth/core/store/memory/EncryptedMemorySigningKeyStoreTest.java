package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.testkit.SigningKeyStoreContract;
import io.github.mcpoauth.core.store.testkit.TestSigningKeys;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link SigningKeyStore#encrypted} over the in-memory store: the whole store contract (rotation across two nodes
 * included) through the encryption, and what the wrapped store holds.
 */
class EncryptedMemorySigningKeyStoreTest extends SigningKeyStoreContract {

    static final SecretKeySpec KEK = new SecretKeySpec(new byte[32], "AES");
    static final SecretKeySpec OTHER_KEK = new SecretKeySpec(filled(32, (byte) 7), "AES");

    private SigningKeyStore raw;

    @Override
    protected SigningKeyStore createStore(Clock clock) {
        raw = InMemoryStores.create(clock).keys();
        return SigningKeyStore.encrypted(raw, KEK);
    }

    @Test
    void whenKeyIsSavedThenTheWrappedStoreHoldsNoPlainJwk() {
        SigningKeys keys = SigningKeys.create(store, clock, Duration.ofHours(1));
        String kid = keys.currentKey().getKeyID();

        SigningKey stored = raw.findAll().get(0);
        assertThat(stored.keyId()).isEqualTo(kid);
        assertThat(stored.jwkJson()).startsWith("enc:A256GCM:").doesNotContain("{").doesNotContain("\"d\"");
        assertThat(store.findAll().get(0).jwkJson()).contains("\"d\"").contains(kid);
    }

    @Test
    void whenReadWithAnotherKeyThenLoadingFailsNamingTheKeyAndNoSecret() {
        SigningKey key = TestSigningKeys.key().build();
        store.save(key);

        assertThatThrownBy(() -> SigningKeyStore.encrypted(raw, OTHER_KEK).findAll())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key.keyId()).hasMessageContaining("wrong key-encryption key")
                .hasMessageNotContaining(key.jwkJson());
        assertThatThrownBy(() -> SigningKeyStore.encrypted(raw, new SecretKeySpec(new byte[16], "AES")).findAll())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrong key-encryption key");
    }

    @Test
    void whenACiphertextIsMovedToAnotherKeyIdThenItDoesNotDecrypt() {
        SigningKey key = TestSigningKeys.key().build();
        store.save(key);
        SigningKey sealed = raw.findAll().get(0);
        raw.save(new SigningKey("planted", sealed.jwkJson(), sealed.createdAt(), sealed.activatesAt(),
                sealed.retiresAt(), sealed.expiresAt()));

        assertThatThrownBy(store::findAll).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("planted");
    }

    @Test
    void whenAKeyWasStoredUnencryptedThenLoadingFailsSayingWhatToDo() {
        raw.save(TestSigningKeys.key().build());

        assertThatThrownBy(store::findAll).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored unencrypted").hasMessageContaining("docs/deployment.md");
    }

    @Test
    void whenKeyIsNotAnAesKeyOfAValidSizeThenWrappingFails() {
        assertThatThrownBy(() -> SigningKeyStore.encrypted(raw, new SecretKeySpec(new byte[10], "AES")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AES key");
        assertThatThrownBy(() -> SigningKeyStore.encrypted(raw, new SecretKeySpec(new byte[32], "HmacSHA256")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AES key");
    }

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }
}
