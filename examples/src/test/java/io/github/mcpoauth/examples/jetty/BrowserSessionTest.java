package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** {@link BrowserSession}: its GETs look like a browser's, and it keeps its cookies. */
class BrowserSessionTest {

    @Test
    void whenFollowingRedirectsThenTheGetsCarryNoContentLengthAndTheCookieComesBack() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            String base = "http://127.0.0.1:" + server.getLocalPort();
            // two requests, each on a connection of its own: a redirect that sets a cookie, then one back to the client
            CompletableFuture<List<List<String>>> heads = CompletableFuture.supplyAsync(() -> {
                List<List<String>> seen = new ArrayList<>();
                try {
                    seen.add(answer(server, "HTTP/1.1 302 Found\r\nLocation: /next\r\nSet-Cookie: session=abc; Path=/"
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    seen.add(answer(server, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/callback?code=c1"
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return seen;
            });
            java.util.concurrent.ExecutorService executor = Executors.newSingleThreadExecutor();
            URI back;
            try {
                back = new BrowserSession(executor, Duration.ofSeconds(5))
                        .authorize(URI.create(base + "/authorize?x=1"), "http://127.0.0.1:9/callback", "u", "p");
            } finally {
                executor.shutdownNow();
            }

            assertThat(back).hasToString("http://127.0.0.1:9/callback?code=c1");
            List<List<String>> seen = heads.get();
            assertThat(seen.get(0).get(0)).isEqualTo("GET /authorize?x=1 HTTP/1.1");
            assertThat(seen.get(1).get(0)).isEqualTo("GET /next HTTP/1.1");
            assertThat(seen).allSatisfy(head -> assertThat(head)
                    .noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length")));
            assertThat(seen.get(0)).noneMatch(line -> line.startsWith("Cookie"));
            assertThat(seen.get(1)).contains("Cookie: session=abc");
        }
    }

    /** Accepts one connection, reads its request head, answers {@code response}, closes. */
    private static List<String> answer(ServerSocket server, String response) throws Exception {
        try (Socket s = server.accept()) {
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            List<String> head = new ArrayList<>();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                head.add(line);
            }
            OutputStream out = s.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return head;
        }
    }
}
