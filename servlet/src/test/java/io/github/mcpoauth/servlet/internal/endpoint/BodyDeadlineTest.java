package io.github.mcpoauth.servlet.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The body deadline is read from the server's clock: moving the clock ends a slow body at the next byte. */
@Timeout(60)
class BodyDeadlineTest {

    @Test
    void whenTheServerClockPassesTheDeadlineThenTheNextByteGets408WithConnectionClose() throws Exception {
        MutableClock clock = MutableClock.at(java.time.Instant.now());
        try (TestServer server = TestServer.builder().clock(clock)
                .oauth(o -> o.rateLimits(RateLimits.none()).bodyTimeout(Duration.ofSeconds(30))).start();
                Socket socket = new Socket("127.0.0.1", server.baseUri().getPort())) {
            // the container's own wake-up comes only after 30 s of wall time: an answer before the read
            // timeout below can only come from the clock
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            // "Expect: 100-continue": the interim answer says the endpoint has started to read the body
            out.write(("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readInterim(socket.getInputStream())).startsWith("HTTP/1.1 100");
            clock.advance(Duration.ofSeconds(31));
            out.write('g');
            out.flush();

            String answer = read(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer.toLowerCase()).contains("connection: close").contains("invalid_request");
        }
    }

    @Test
    void whenLimitsAreOutOfRangeThenConstructionFailsNamingTheField() {
        assertThatThrownBy(() -> new EdgeLimits(Duration.ofMillis(500), Clock.systemUTC(), StorePermits.unlimited()))
                .hasMessageContaining("bodyTimeout");
        assertThatThrownBy(() -> new EdgeLimits(Duration.ofSeconds(5), null, StorePermits.unlimited()))
                .hasMessageContaining("clock");
        assertThatThrownBy(() -> new EdgeLimits(Duration.ofSeconds(5), Clock.systemUTC(), null))
                .hasMessageContaining("storePermits");
        assertThatThrownBy(() -> McpOAuth.builder().bodyTimeout(Duration.ofMinutes(6)))
                .hasMessageContaining("bodyTimeout");
    }

    /** The interim response, up to its blank line. */
    private static String readInterim(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) > 0; ) {
                buf.write(b, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed after the answer
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
