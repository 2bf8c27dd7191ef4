package io.github.mcpoauth.servlet.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.McpOAuth;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * {@link SlowBodyContract} over Jetty 12 with a small thread pool; and the servlets mounted without async support,
 * where the body is read by polling what has arrived, still ending at the deadline.
 */
class SlowBodyJettyTest extends SlowBodyContract {

    @Test
    void whenTheServletsAreNotAsyncSupportedThenASlowBodyStillGets408() throws Exception {
        McpOAuth oauth = oauth();
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 4);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        for (McpOAuth.Mount m : oauth.mounts("")) {
            ServletHolder holder = new ServletHolder(m.name(), m.servlet());
            holder.setAsyncSupported(false);
            m.paths().forEach(p -> context.addServlet(holder, p));
        }
        server.setHandler(context);
        server.start();
        try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\ng")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) > 0; ) {
                    answer.write(b, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // closed after the answer
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 408");
            assertThat(text.toLowerCase()).contains("connection: close");
        } finally {
            server.stop();
        }
    }

    @Override
    Container start(McpOAuth oauth) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 4);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServletContainerInitializer(oauth.initializer());
        server.setHandler(context);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return new Container() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
