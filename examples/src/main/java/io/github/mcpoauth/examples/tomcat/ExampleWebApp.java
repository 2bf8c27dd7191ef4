package io.github.mcpoauth.examples.tomcat;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.examples.jetty.DemoLoginServlet;
import io.github.mcpoauth.examples.jetty.DemoUsers;
import io.github.mcpoauth.examples.jetty.ExampleMcpServer;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The example webapp, web.xml-free: on start it mounts the MCP endpoint ({@value #MCP_PATH}, the MCP Java SDK), the
 * demo login ({@value #LOGIN_PATH}) and mcp-oauth, all relative to the WAR's context path, e.g. {@code /app}.
 *
 * <p>In a WAR, the container finds it through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}
 * (a file naming this class, in {@code WEB-INF/classes}) and builds it with the no-argument constructor, which
 * reads the public URL of the application from the {@code ISSUER} environment variable (e.g.
 * {@code https://example.com/app}); the reverse proxy must then route {@code /.well-known/*} of the host to the
 * application (docs/deployment.md). Embedded (tests, one JVM), pass the {@link McpOAuth} to use, and install its
 * {@link McpOAuth#rootInitializer()} in the root context.
 *
 * <p>mcp-oauth closes itself when the context is destroyed (it registers a listener in {@code install}), and this
 * initializer closes the MCP server, so an undeployed WAR leaves no thread behind.
 */
public final class ExampleWebApp implements ServletContainerInitializer {

    /** The MCP endpoint, relative to the context path. */
    public static final String MCP_PATH = "/mcp";
    /** The demo login page, relative to the context path. */
    public static final String LOGIN_PATH = "/login";

    private final Function<ServletContext, McpOAuth> oauth;

    /** For a WAR: the issuer (the application's public URL, context path included) from {@code ISSUER}. */
    public ExampleWebApp() {
        this(context -> oauth(URI.create(Objects.requireNonNull(System.getenv("ISSUER"),
                "set ISSUER to the application's public URL, e.g. https://example.com" + context.getContextPath())))
                .wellKnownAtRoot(true) // a separate WAR cannot serve the host's root: the proxy routes it here
                .build());
    }

    /** For embedded containers: mounts {@code oauth}. */
    public ExampleWebApp(McpOAuth oauth) {
        this(context -> oauth);
        Objects.requireNonNull(oauth, "oauth");
    }

    private ExampleWebApp(Function<ServletContext, McpOAuth> oauth) {
        this.oauth = oauth;
    }

    /** The example's mcp-oauth configuration for {@code issuer}: the resource is {@value #MCP_PATH} under it. */
    public static McpOAuth.Builder oauth(URI issuer) {
        return McpOAuth.builder()
                .settings(AuthorizationServerSettings.builder()
                        .issuer(issuer)
                        .resource(issuer + MCP_PATH)
                        .scopes(Set.of("mcp"))
                        .build())
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute(DemoLoginServlet.SESSION_USER, LOGIN_PATH));
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setAttribute("SameSite", "Lax");

        ExampleMcpServer mcp = ExampleMcpServer.create(MCP_PATH);
        ServletRegistration.Dynamic servlet = context.addServlet("mcp", mcp.servlet());
        servlet.setAsyncSupported(true); // the streamable transport uses AsyncContext for SSE
        servlet.addMapping(MCP_PATH);
        context.addServlet("demo-login", new DemoLoginServlet(DemoUsers.DEFAULT)).addMapping(LOGIN_PATH);
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                mcp.close();
            }
        });
        oauth.apply(context).install(context);
    }
}
