package io.github.mcpoauth.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load harness's lean HTTP/1.1 client against a real Jetty (bodies by length and chunked, cookies, keep-alive)
 * and, for what Jetty will not do on demand (close an idle connection at a chosen moment, close before answering),
 * against a scripted loopback socket.
 */
class LeanHttpClientTest {

    private Server jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    private URI jetty(BiConsumer<HttpServletRequest, HttpServletResponse> handler) throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                handler.accept(req, resp);
            }
        }), "/*");
        jetty.setHandler(ctx);
        jetty.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Test
    void whenTheAnswerComesChunkedThenTheWholeBodyIsRead() throws Exception {
        URI base = jetty((req, resp) -> {
            try {
                resp.setContentType("text/event-stream;charset=utf-8");
                for (int i = 0; i < 3; i++) {
                    resp.getWriter().write("data: part " + i + " é\n\n");
                    resp.flushBuffer();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        LeanHttpClient http = new LeanHttpClient();

        HttpSender.Response r = http.send(HttpSender.Request.post(base.resolve("/mcp"), "{}",
                "Content-Type", "application/json"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(r.body()).isEqualTo("data: part 0 é\n\ndata: part 1 é\n\ndata: part 2 é\n\n");
    }

    @Test
    void whenRequestsFollowEachOtherThenTheyShareOneConnectionAndTheBodyArrives() throws Exception {
        URI base = jetty((req, resp) -> {
            try {
                String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                byte[] out = (req.getMethod() + " " + req.getRequestURI() + "?" + req.getQueryString() + " "
                        + req.getRemotePort() + " " + body).getBytes(StandardCharsets.UTF_8);
                resp.setContentLength(out.length);
                resp.getOutputStream().write(out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        LeanHttpClient http = new LeanHttpClient();

        String first = http.send(HttpSender.Request.post(base.resolve("/token?a=b%20c"), "x=ü")).body();
        String second = http.send(HttpSender.Request.get(base.resolve("/page?q=1"))).body();

        assertThat(first).startsWith("POST /token?a=b%20c ").endsWith(" x=ü");
        assertThat(second).startsWith("GET /page?q=1 ");
        assertThat(second.split(" ")[2]).isEqualTo(first.split(" ")[2]);
        assertThat(http.retries()).isZero();
    }

    @Test
    void whenTheServerSetsACookieThenItIsSentBackUntilDeleted() throws Exception {
        URI base = jetty((req, resp) -> {
            try {
                switch (req.getRequestURI()) {
                    case "/login" -> resp.addCookie(new Cookie("JSESSIONID", "s1"));
                    case "/logout" -> {
                        Cookie gone = new Cookie("JSESSIONID", "");
                        gone.setMaxAge(0);
                        resp.addCookie(gone);
                    }
                    default -> { }
                }
                resp.setStatus(302);
                resp.setHeader("Location", "/next");
                resp.getWriter().write(String.valueOf(req.getHeader("Cookie")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        LeanHttpClient http = new LeanHttpClient();

        HttpSender.Response login = http.send(HttpSender.Request.get(base.resolve("/login")));
        String withCookie = http.send(HttpSender.Request.get(base.resolve("/page"))).body();
        http.send(HttpSender.Request.get(base.resolve("/logout")));
        String afterLogout = http.send(HttpSender.Request.get(base.resolve("/page"))).body();

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("LOCATION")).isEqualTo("/next");
        assertThat(withCookie).isEqualTo("JSESSIONID=s1");
        assertThat(afterLogout).isEqualTo("null");
    }

    @Test
    void whenTheServerClosedAnIdleConnectionThenTheRequestIsSentOnceMoreAndCounted() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CountDownLatch closed = new CountDownLatch(1);
            Thread peer = peer(() -> {
                try (Socket first = server.accept()) {
                    readRequest(first.getInputStream());
                    answer(first, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
                }
                closed.countDown(); // closed while idle in the client's pool
                try (Socket second = server.accept()) {
                    readRequest(second.getInputStream());
                    answer(second, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo");
                }
            });
            LeanHttpClient http = new LeanHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");

            String one = http.send(HttpSender.Request.post(uri, "1")).body();
            assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
            String two = http.send(HttpSender.Request.post(uri, "2")).body();
            peer.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(one).isEqualTo("one");
            assertThat(two).isEqualTo("two");
            assertThat(http.retries()).isEqualTo(1);
        }
    }

    @Test
    void whenConnectAsksForConnectionsThenTheyAreOpenedOnceAndTheNextRequestGoesOnOne() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            peer(() -> {
                while (true) {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    peer(() -> {
                        try (s) {
                            readRequest(s.getInputStream());
                            answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                        }
                    });
                }
            });
            LeanHttpClient http = new LeanHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");

            http.connect(uri, 3);
            http.connect(uri, 3); // three already wait: none more
            String body = http.send(HttpSender.Request.get(uri)).body();

            // a last connection of the test's own: the server accepts in the order of connecting, so once this one
            // is answered, every connection the client opened before it has been accepted and counted
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                probe.getOutputStream().write("GET /probe HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(probe.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .endsWith("ok");
            }

            assertThat(body).isEqualTo("ok");
            assertThat(accepted.get()).isEqualTo(3 + 1);
            assertThat(http.retries()).isZero();
        }
    }

    @Test
    void whenAFreshConnectionClosesBeforeTheAnswerThenTheRequestFailsWithoutRetry() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            peer(() -> {
                try (Socket s = server.accept()) {
                    readRequest(s.getInputStream());
                }
            });
            LeanHttpClient http = new LeanHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");

            assertThatThrownBy(() -> http.send(HttpSender.Request.get(uri))).isInstanceOf(IOException.class);
            assertThat(http.retries()).isZero();
        }
    }

    @Test
    void whenAReusedConnectionClosesInTheMiddleOfTheAnswerThenTheRequestFailsWithoutRetry() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            peer(() -> {
                try (Socket s = server.accept()) {
                    readRequest(s.getInputStream());
                    answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    readRequest(s.getInputStream());
                    answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
                }
            });
            LeanHttpClient http = new LeanHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");

            assertThat(http.send(HttpSender.Request.get(uri)).body()).isEqualTo("ok");
            assertThatThrownBy(() -> http.send(HttpSender.Request.get(uri))).isInstanceOf(IOException.class);
            assertThat(http.retries()).isZero();
        }
    }

    @Test
    void whenTheAnswerSaysConnectionCloseThenTheNextRequestOpensANewConnectionWithoutRetry() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            peer(() -> {
                for (String body : List.of("one", "two")) {
                    try (Socket s = server.accept()) {
                        readRequest(s.getInputStream());
                        answer(s, "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 3\r\n\r\n" + body);
                    }
                }
            });
            LeanHttpClient http = new LeanHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");

            assertThat(http.send(HttpSender.Request.get(uri)).body()).isEqualTo("one");
            assertThat(http.send(HttpSender.Request.get(uri)).body()).isEqualTo("two");
            assertThat(http.retries()).isZero();
        }
    }

    @FunctionalInterface
    private interface Script {
        void run() throws Exception;
    }

    private static Thread peer(Script script) {
        Thread t = new Thread(() -> {
            try {
                script.run();
            } catch (Exception e) {
                // the client's side of the test sees what went wrong
            }
        }, "scripted-peer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads one request's head and its Content-Length body. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        throw new IOException("the client closed");
    }

    private static void answer(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }
}
