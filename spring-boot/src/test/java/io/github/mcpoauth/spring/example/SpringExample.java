package io.github.mcpoauth.spring.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts {@link SpringExampleApplication} on a free loopback port, with the issuer on that port. */
final class SpringExample {

    private SpringExample() {
    }

    static ConfigurableApplicationContext start(String... moreProperties) {
        int port = freePort();
        String[] props = new String[moreProperties.length + 5];
        props[0] = "server.port=" + port;
        props[1] = "server.address=127.0.0.1";
        props[2] = "mcp.oauth.issuer=http://127.0.0.1:" + port;
        props[3] = "spring.main.banner-mode=off";
        // the test classpath has spring-boot-starter-jdbc (for the storage tests); this example keeps no database
        props[4] = "spring.autoconfigure.exclude="
                + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
        System.arraycopy(moreProperties, 0, props, 5, moreProperties.length);
        return new SpringApplicationBuilder(SpringExampleApplication.class).properties(props).run();
    }

    static URI baseUri(ConfigurableApplicationContext app) {
        return URI.create(app.getEnvironment().getProperty("mcp.oauth.issuer"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
