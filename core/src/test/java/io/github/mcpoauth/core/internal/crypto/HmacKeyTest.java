package io.github.mcpoauth.core.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** One same-app MAC secret: the raw HMAC from its cloned prototype, and HS256 JWT verification as Nimbus does it. */
class HmacKeyTest {

    private final byte[] secret = new byte[32];

    HmacKeyTest() {
        new SecureRandom().nextBytes(secret);
    }

    private byte[] reference(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void whenMacsAreComputedOnManyThreadsAtOnceThenEachIsTheHmacOfItsOwnInput() throws Exception {
        HmacKey key = new HmacKey(secret);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] data = ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8);
                        Mac mac = key.mac();
                        mac.update(data, 0, 3); // in parts, as compact tokens feed it
                        mac.update(data, 3, data.length - 3);
                        if (!Arrays.equals(mac.doFinal(), reference(data))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenAnHs256SignatureIsVerifiedThenOnlyTheWholeHmacOfThisSecretPasses() throws Exception {
        HmacKey key = new HmacKey(secret);
        JWSHeader header = new JWSHeader(JWSAlgorithm.HS256);
        byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
        Base64URL signature = new MACSigner(secret).sign(header, input);
        byte[] other = secret.clone();
        other[0] ^= 1;

        assertThat(key.verify(header, input, signature)).isTrue();
        assertThat(key.verify(header, input, new MACSigner(other).sign(header, input))).isFalse();
        assertThat(key.verify(header, input, Base64URL.encode(Arrays.copyOf(signature.decode(), 16))))
                .isFalse(); // a JWS carries the whole HMAC
        assertThat(key.supportedJWSAlgorithms()).contains(JWSAlgorithm.HS256);
        assertThat(key.toString()).doesNotContain(Base64URL.encode(secret).toString());
    }

    @Test
    void whenTheSecretIsShorterThan256BitsThenRefused() {
        assertThatThrownBy(() -> new HmacKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
