package io.github.mcpoauth.servlet.deploy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** {@link ContextPathContract} on embedded Tomcat 11: a ROOT context and one at {@value #APP}. */
class ContextPathTomcatTest extends ContextPathContract {

    @Override
    Container start(Function<URI, Contexts> contexts) throws Exception {
        TomcatApp t = TomcatApp.create();
        Contexts c = contexts.apply(t.base());
        Context root = t.tomcat().addContext("", t.dir().toString());
        if (c.root() != null) {
            root.addServletContainerInitializer(c.root(), null);
        }
        Context app = t.tomcat().addContext(APP, t.dir().toString());
        app.addServletContainerInitializer(c.app(), null);
        Tomcat.addServlet(app, "login", login()).addMapping("/login");
        Tomcat.addServlet(app, "mcp", new McpStandIn()).addMapping("/mcp");
        t.tomcat().start();
        return new Container() {
            @Override
            public URI baseUri() {
                return t.base();
            }

            @Override
            public boolean appStarted() {
                return app.getState() == LifecycleState.STARTED;
            }

            @Override
            public void close() throws Exception {
                t.close();
            }
        };
    }

    /** An embedded Tomcat whose loopback port is bound before any context starts. */
    record TomcatApp(Tomcat tomcat, Path dir, URI base) implements AutoCloseable {
        static TomcatApp create() throws Exception {
            // Tomcat's base directory under target/: one in the system's temp directory outlived every run
            Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
            Path dir = Files.createTempDirectory(target, "tomcat-context-path");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(dir.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            tomcat.getServer().init(); // binds the port
            return new TomcatApp(tomcat, dir, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
