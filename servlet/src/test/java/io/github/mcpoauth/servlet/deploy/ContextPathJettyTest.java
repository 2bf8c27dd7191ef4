package io.github.mcpoauth.servlet.deploy;

import java.net.URI;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** {@link ContextPathContract} on Jetty 12: a root context and one at {@value #APP}. */
class ContextPathJettyTest extends ContextPathContract {

    @Override
    Container start(Function<URI, Contexts> contexts) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        connector.open();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        Contexts c = contexts.apply(base);

        ServletContextHandler root = new ServletContextHandler();
        root.setContextPath("/");
        if (c.root() != null) {
            root.addServletContainerInitializer(c.root());
        }
        ServletContextHandler app = new ServletContextHandler(ServletContextHandler.SESSIONS);
        app.setContextPath(APP);
        app.addServletContainerInitializer(c.app());
        app.addServlet(new ServletHolder(login()), "/login");
        app.addServlet(new ServletHolder(new McpStandIn()), "/mcp");
        server.setHandler(new ContextHandlerCollection(root, app));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new Container() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public boolean appStarted() {
                return app.isAvailable() && app.isStarted();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
