package io.github.mcpoauth.spring.example;

import io.github.mcpoauth.spring.StarterApps;
import java.net.URI;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts {@link SpringExampleApplication} on a free loopback port, with the issuer on that port. */
final class SpringExample {

    private SpringExample() {
    }

    static ConfigurableApplicationContext start(String... moreProperties) {
        return StarterApps.startOnFreePort(port -> start(port, moreProperties));
    }

    private static ConfigurableApplicationContext start(int port, String... moreProperties) {
        String[] props = new String[moreProperties.length + 6];
        props[0] = "server.port=" + port;
        props[1] = "server.address=127.0.0.1";
        props[2] = "mcp.oauth.issuer=http://127.0.0.1:" + port;
        props[3] = "spring.main.banner-mode=off";
        // the test classpath has spring-boot-starter-jdbc (for the storage tests); this example keeps no database
        props[4] = "spring.autoconfigure.exclude="
                + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
        props[5] = StarterApps.tomcatBaseDir(port);
        System.arraycopy(moreProperties, 0, props, 6, moreProperties.length);
        return new SpringApplicationBuilder(SpringExampleApplication.class).properties(props).run();
    }

    static URI baseUri(ConfigurableApplicationContext app) {
        return URI.create(app.getEnvironment().getProperty("mcp.oauth.issuer"));
    }
}
