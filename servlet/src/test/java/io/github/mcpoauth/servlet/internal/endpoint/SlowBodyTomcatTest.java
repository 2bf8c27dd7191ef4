package io.github.mcpoauth.servlet.internal.endpoint;

import io.github.mcpoauth.servlet.McpOAuth;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** {@link SlowBodyContract} over embedded Tomcat 11 with a small thread pool. */
class SlowBodyTomcatTest extends SlowBodyContract {

    @Override
    Container start(McpOAuth oauth) throws Exception {
        // Tomcat's base directory under target/: one in the system's temp directory outlived every run
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path dir = Files.createTempDirectory(target, "tomcat-slow-body");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(THREADS));
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", dir.toString());
        context.addServletContainerInitializer(oauth.initializer(), null);
        tomcat.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return new Container() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
