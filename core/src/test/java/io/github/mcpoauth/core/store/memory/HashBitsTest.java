package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashBitsTest {

    private static List<Long> bits(String hash) {
        long[] into = new long[HashBits.WORDS];
        HashBits.write(hash, into, 0);
        return List.of(into[0], into[1]);
    }

    @Test
    void whenHashesAreEqualTextsThenTheirBitsAreEqualAndDistinctHashesDiffer() {
        Set<List<Long>> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String hash = Secrets.hash("token-" + i);
            assertThat(bits(new String(hash.toCharArray()))).isEqualTo(bits(hash));
            seen.add(bits(hash));
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void whenACanonicalHashIsReadThenItsBitsAreItsOwnNotAHashOfIt() {
        String hash = Secrets.hash("token");
        // its first 128 bits: the first 21 characters and the top two bits of the 22nd decide them, the rest not
        String sameStart = hash.substring(0, 22) + "A".repeat(21);

        assertThat(bits(sameStart)).isEqualTo(bits(hash));
        assertThat(bits(hash.substring(0, 20) + (hash.charAt(20) == 'A' ? 'B' : 'A') + hash.substring(21)))
                .isNotEqualTo(bits(hash));
    }

    @Test
    void whenTheTextIsNoCanonicalHashThenItsBitsComeFromItsSha256() {
        assertThat(bits("custom-hash")).isEqualTo(bits(Secrets.hash("custom-hash")));
        assertThat(bits("custom-hash")).isNotEqualTo(bits("custom-hasH"));
        assertThat(bits(Secrets.hash("t") + "=")).isEqualTo(bits(Secrets.hash(Secrets.hash("t") + "=")));
    }

    @Test
    void whenLookedForThenFoundAtAnyPositionWithinCountAndNowhereElse() {
        List<String> hashes = List.of(Secrets.hash("a"), Secrets.hash("b"), Secrets.hash("c"));
        long[] history = new long[1 + hashes.size() * HashBits.WORDS];
        for (int i = 0; i < hashes.size(); i++) {
            HashBits.write(hashes.get(i), history, 1 + i * HashBits.WORDS);
        }

        assertThat(hashes).allMatch(h -> HashBits.anyOf(history, 1, 3, h));
        assertThat(HashBits.anyOf(history, 1, 2, hashes.get(2))).isFalse();
        assertThat(HashBits.anyOf(history, 1, 1, hashes.get(0))).isTrue();
        assertThat(HashBits.anyOf(history, 1, 1, hashes.get(1))).isFalse();
        assertThat(HashBits.anyOf(history, 1, 3, Secrets.hash("d"))).isFalse();
        assertThat(HashBits.anyOf(history, 1, 0, hashes.get(0))).isFalse();
    }
}
