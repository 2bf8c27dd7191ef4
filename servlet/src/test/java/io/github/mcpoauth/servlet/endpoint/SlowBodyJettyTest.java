package io.github.mcpoauth.servlet.endpoint;

import io.github.mcpoauth.servlet.McpOAuth;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** {@link SlowBodyContract} over Jetty 12 with a small thread pool. */
class SlowBodyJettyTest extends SlowBodyContract {

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
