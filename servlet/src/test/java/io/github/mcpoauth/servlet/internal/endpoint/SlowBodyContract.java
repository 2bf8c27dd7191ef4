package io.github.mcpoauth.servlet.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One client address trickling request bodies into the token endpoint (one byte a second) over more connections
 * than the container has threads: metadata is answered meanwhile, and each slow request gets 408 with
 * {@code Connection: close} soon after the body deadline. Run over a real container by each subclass.
 */
@Timeout(120)
abstract class SlowBodyContract {

    /** The container's request threads: fewer than the slow connections. */
    static final int THREADS = 16;
    private static final int SLOW_CONNECTIONS = 24;
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    /** A generous bound for an answer that comes after the 2 s deadline on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** A running container with {@code oauth} installed, on a loopback port. */
    interface Container extends AutoCloseable {
        URI baseUri();
    }

    /** Starts the container with {@value #THREADS} request threads and {@code oauth} installed. */
    abstract Container start(McpOAuth oauth) throws Exception;

    static McpOAuth oauth() {
        return McpOAuth.builder()
                .settings(AuthorizationServerSettings.builder().issuer("http://127.0.0.1")
                        .resource("http://127.0.0.1/mcp").build())
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute("user", "/login"))
                .rateLimits(RateLimits.none())
                .bodyTimeout(BODY_TIMEOUT)
                .build();
    }

    @Test
    void whenOneAddressTricklesBodiesOverManyConnectionsThenMetadataIsAnsweredAndEachSlowBodyGets408()
            throws Exception {
        try (Container container = start(oauth())) {
            URI base = container.baseUri();
            List<Socket> slow = new ArrayList<>();
            CountDownLatch stopTrickling = new CountDownLatch(1);
            Thread trickler = null;
            try {
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    Socket s = new Socket("127.0.0.1", base.getPort());
                    s.setSoTimeout((int) BOUND.toMillis());
                    s.getOutputStream().write(("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ng")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    slow.add(s);
                }
                trickler = new Thread(() -> trickle(slow, stopTrickling), "trickler");
                trickler.setDaemon(true);
                trickler.start();

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                                    base.resolve("/.well-known/oauth-authorization-server"))
                            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(metadata.statusCode()).isEqualTo(200);
                }

                long started = System.nanoTime();
                for (Socket s : slow) {
                    String answer = readAnswer(s);
                    assertThat(answer).startsWith("HTTP/1.1 408");
                    assertThat(answer.toLowerCase()).contains("connection: close").contains("\"invalid_request\"");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
            } finally {
                stopTrickling.countDown();
                if (trickler != null) {
                    trickler.join(10_000);
                }
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void whenABodyArrivesWholeThenTheTokenEndpointAnswersIt() throws Exception {
        try (Container container = start(oauth())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(container.baseUri().resolve("/oauth2/token"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=x&client_id=c"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            // an unknown client: core read the whole form and answered it
            assertThat(r.statusCode()).as(r.body()).isIn(400, 401);
            assertThat(r.body()).contains("\"error\"");
        }
    }

    /** Sends one more byte on every connection each second, until told to stop or the server closed them all. */
    private static void trickle(List<Socket> sockets, CountDownLatch stop) {
        try {
            while (!stop.await(1, TimeUnit.SECONDS)) {
                boolean any = false;
                for (Socket s : sockets) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write('x');
                        out.flush();
                        any = true;
                    } catch (IOException closed) {
                        // the server answered and closed this one
                    }
                }
                if (!any) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the server sent before it closed the connection (or until the socket's read timeout). */
    private static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) > 0; ) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // a reset after the answer, or no close: judge what arrived
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
