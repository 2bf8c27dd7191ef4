package io.github.mcpoauth.core.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void whenSecretIsGeneratedThenItIs43Base64UrlCharactersAndFresh() {
        Secrets secrets = Secrets.create();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String s = secrets.newSecret();
            assertThat(s).matches("[A-Za-z0-9_-]{43}");
            seen.add(s);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void whenDigestedThenTheBytesAreTheSha256ThatHashEncodes() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("jti-1".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));

        assertThat(Secrets.digest("jti-1")).isEqualTo(expected);
        assertThat(Secrets.hash("jti-1")).isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(expected));
    }

    @Test
    void whenIdIsGeneratedThenItsLengthFollowsTheByteCount() {
        Secrets secrets = Secrets.create();

        assertThat(secrets.newId(16)).matches("[A-Za-z0-9_-]{22}");
        assertThat(secrets.newId(18)).matches("[A-Za-z0-9_-]{24}");
    }

    @Test
    void whenSameRandomSeedThenSameSecrets() {
        SecureRandom a = seeded(newSha1Prng());
        SecureRandom b = seeded(newSha1Prng());

        assertThat(Secrets.using(a).newSecret()).isEqualTo(Secrets.using(b).newSecret());
    }

    @Test
    void whenHashingThenResultIsBase64UrlSha256AndNotTheSecret() throws Exception {
        String hash = Secrets.hash("abc");

        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
        assertThat(hash).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(hash).isNotEqualTo("abc").doesNotContain("abc");
        assertThat(MessageDigest.getInstance("SHA-256").getDigestLength()).isEqualTo(32);
    }

    @Test
    void whenManyThreadsHashAtOnceThenEachGetsTheHashOfItsOwnValue() throws Exception {
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String value = "value-" + t;
                String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(value.getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)));
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!Secrets.hash(value).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenPresentedSecretMatchesItsHashThenMatchesIsTrueElseFalse() {
        String secret = Secrets.create().newSecret();
        String hash = Secrets.hash(secret);

        assertThat(Secrets.matches(secret, hash)).isTrue();
        assertThat(Secrets.matches(secret + "x", hash)).isFalse();
        assertThat(Secrets.matches(hash, hash)).isFalse();
        assertThat(Secrets.matches(null, hash)).isFalse();
        assertThat(Secrets.matches(secret, null)).isFalse();
    }

    @Test
    void whenComparingInConstantTimeThenOnlyEqualStringsMatch() {
        assertThat(Secrets.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Secrets.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Secrets.constantTimeEquals("abc", "abcd")).isFalse();
        assertThat(Secrets.constantTimeEquals("", "")).isTrue();
        assertThat(Secrets.constantTimeEquals(null, "a")).isFalse();
        assertThat(Secrets.constantTimeEquals("a", null)).isFalse();
        assertThat(Secrets.constantTimeEquals("\u00e9", "\u00e9")).isTrue();
    }

    @Test
    void whenHashingNullThenItFailsNamingTheArgument() {
        assertThatThrownBy(() -> Secrets.hash(null)).isInstanceOf(NullPointerException.class).hasMessage("secret");
        assertThatThrownBy(() -> Secrets.using(null)).isInstanceOf(NullPointerException.class);
    }

    private static SecureRandom newSha1Prng() {
        try {
            return SecureRandom.getInstance("SHA1PRNG");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static SecureRandom seeded(SecureRandom r) {
        r.setSeed(42L);
        return r;
    }
}
