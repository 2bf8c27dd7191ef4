package io.github.mcpoauth.examples.tomcat;

import io.github.mcpoauth.servlet.McpOAuth;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The WAR example ({@link ExampleWebApp}) running on embedded Tomcat 11 at {@value #APP}, the ROOT context serving
 * the well-known documents ({@link McpOAuth#rootInitializer()}), on a free loopback port.
 */
public final class TomcatWarExample implements AutoCloseable {

    /** The application's context path. */
    public static final String APP = "/app";

    private final Tomcat tomcat;
    private final Context app;
    private final URI base;

    private TomcatWarExample(Tomcat tomcat, Context app, URI base) {
        this.tomcat = tomcat;
        this.app = app;
        this.base = base;
    }

    /** Starts Tomcat with the ROOT context and the example at {@value #APP}. */
    public static TomcatWarExample start() throws Exception {
        // Tomcat's base directory under target/: one in the system's temp directory outlived every run
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path dir = Files.createTempDirectory(target, "tomcat-war-example");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getServer().init(); // binds: the issuer carries the real port
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());

        McpOAuth oauth = ExampleWebApp.oauth(URI.create(base + APP)).build();
        Context root = tomcat.addContext("", dir.toString());
        root.addServletContainerInitializer(oauth.rootInitializer(), null);
        Context app = tomcat.addContext(APP, dir.toString());
        app.addServletContainerInitializer(new ExampleWebApp(oauth), null);
        try {
            tomcat.start();
        } catch (Exception e) {
            tomcat.destroy();
            throw e;
        }
        return new TomcatWarExample(tomcat, app, base);
    }

    /** The host's base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return base;
    }

    /** The application's base URI: the base URI and {@value #APP}. */
    public URI appUri() {
        return URI.create(base + APP);
    }

    /** The application's context. */
    public Context app() {
        return app;
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
