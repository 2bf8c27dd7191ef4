package io.github.mcpoauth.spring;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.servlet.McpOAuth;
import com.nimbusds.oauth2.sdk.id.ClientID;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** Real Boot applications on embedded Tomcat over loopback HTTP, for the starter tests. */
public final class StarterApps {

    /** Spring Security's auto-configuration, by its Boot 3.5 and Boot 4 names (absent names are ignored). */
    static final String NO_SECURITY =
            "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration";
    /** The DataSource auto-configuration, by its Boot 3.5 and Boot 4 names. */
    static final String NO_DATASOURCE = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private StarterApps() {
    }

    /** A Boot app: auto-configuration plus {@link CallerServlet} at {@code /mcp} and {@code /hello}. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ServletRegistrationBean<CallerServlet> caller() {
            return new ServletRegistrationBean<>(new CallerServlet(), "/mcp", "/mcp/*", "/hello");
        }
    }

    /** Answers who the request's user principal is: its class, name and (Spring Security) authorities. */
    static final class CallerServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Principal p = req.getUserPrincipal();
            String authorities = p instanceof org.springframework.security.core.Authentication a
                    ? a.getAuthorities().toString() : "-";
            resp.setContentType("text/plain");
            resp.getWriter().print(p == null ? "anonymous"
                    : p.getClass().getSimpleName() + " " + p.getName() + " " + authorities);
        }
    }

    static ConfigurableApplicationContext start(String... more) {
        return startOnFreePort(port -> {
            List<String> props = new ArrayList<>(List.of("server.port=" + port, "server.address=127.0.0.1",
                    "mcp.oauth.issuer=http://127.0.0.1:" + port, "spring.main.banner-mode=off", tomcatBaseDir(port)));
            props.addAll(List.of(more));
            return new SpringApplicationBuilder(App.class).properties(props.toArray(String[]::new)).run();
        });
    }

    /**
     * Tomcat's base directory under target/ (Spring Boot's default, a new {@code tomcat.<port>.*} directory in the
     * system's temp directory, outlived every run).
     */
    public static String tomcatBaseDir(int port) {
        return "server.tomcat.basedir=target/tomcat-" + port;
    }

    /**
     * Starts an app on a port found free just before (the issuer must name the port before the server starts);
     * if another process took the port in between, tries again on another one.
     */
    public static ConfigurableApplicationContext startOnFreePort(
            java.util.function.IntFunction<ConfigurableApplicationContext> app) {
        for (int attempt = 1; ; attempt++) {
            try {
                return app.apply(freePort());
            } catch (RuntimeException e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException || c.getClass().getSimpleName().equals("PortInUseException")) {
                return true;
            }
        }
        return false;
    }

    static URI base(ConfigurableApplicationContext app) {
        return URI.create(app.getEnvironment().getProperty("mcp.oauth.issuer"));
    }

    /** A token for alice with scope {@code mcp}, issued by the app's server for a grant saved in its stores. */
    static String token(ConfigurableApplicationContext app) {
        McpOAuth oauth = app.getBean(McpOAuth.class);
        Instant now = Instant.now();
        URI resource = oauth.server().settings().resources().get(0);
        Grant g = new Grant(UUID.randomUUID().toString(), new ClientID("client-1"), "alice", Set.of("mcp"),
                List.of(resource), now, Optional.empty(), now.plus(Duration.ofDays(1)), false);
        oauth.server().stores().grants().save(g);
        return oauth.server().accessTokens().issue(g, Set.of("mcp"), g.resources(), now);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder get(ConfigurableApplicationContext app, String path) {
        return HttpRequest.newBuilder(base(app).resolve(path)).GET();
    }

    static HttpRequest.Builder post(ConfigurableApplicationContext app, String path, String contentType, String body) {
        return HttpRequest.newBuilder(base(app).resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpRequest.Builder mcpInitialize(ConfigurableApplicationContext app) {
        return post(app, "/mcp", "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"0\"}}}")
                .header("Accept", "application/json, text/event-stream");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
