package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashKeyTest {

    @Test
    void whenACanonicalHashIsKeyedThenItsTextComesBackAndEqualTextsAreEqualKeys() {
        Set<HashKey> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String hash = Secrets.hash("token-" + i);
            HashKey key = new HashKey(hash);
            assertThat(key.hash()).isEqualTo(hash);
            assertThat(new HashKey(new String(hash.toCharArray()))).isEqualTo(key).hasSameHashCodeAs(key);
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void whenTextsDifferThenKeysDifferEvenWhereTheyDecodeToTheSameBytes() {
        String hash = Secrets.hash("token");
        char last = hash.charAt(42);
        // the same 32 bytes with a spare bit set: a non-canonical text, kept as text and not equal
        String nonCanonical = hash.substring(0, 42) + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) | 1);

        assertThat(new HashKey(nonCanonical)).isNotEqualTo(new HashKey(hash));
        assertThat(new HashKey(nonCanonical).hash()).isEqualTo(nonCanonical);
        assertThat(new HashKey(hash + "=")).isNotEqualTo(new HashKey(hash));
        assertThat(new HashKey(hash.substring(0, 42) + "+")).isNotEqualTo(new HashKey(hash));
        assertThat(new HashKey("short").hash()).isEqualTo("short");
        assertThat(new HashKey("short")).isEqualTo(new HashKey("short"));
        assertThat(new HashKey("h\u00e9" + hash.substring(2))).isNotEqualTo(new HashKey(hash));
    }
}
