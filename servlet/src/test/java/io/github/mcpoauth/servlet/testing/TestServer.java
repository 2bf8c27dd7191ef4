package io.github.mcpoauth.servlet.testing;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 server on a loopback port with mcp-oauth installed and a form login ({@link TestLoginServlet})
 * for the users named in {@link #USERS}. Build with {@link #builder()}, close when done.
 */
public final class TestServer implements AutoCloseable {

    /** The demo users and their passwords. */
    public static final Map<String, String> USERS = Map.of("alice", "alice-password", "bob", "bob-password");

    /** The session attribute the test login stores the user in. */
    public static final String USER_ATTRIBUTE = "test.user";

    private final Server server;
    private final URI baseUri;
    private final McpOAuth oauth;

    private TestServer(Server server, URI baseUri, McpOAuth oauth) {
        this.server = server;
        this.baseUri = baseUri;
        this.oauth = oauth;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return baseUri;
    }

    /** {@code path} resolved against the base URI. */
    public URI uri(String path) {
        return URI.create(baseUri + path);
    }

    /** The installed authorization server. */
    public McpOAuth oauth() {
        return oauth;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Builds and starts a {@link TestServer}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Stores stores;
        private Consumer<AuthorizationServerSettings.Builder> settings = b -> { };
        private Consumer<McpOAuth.Builder> oauth = b -> { };
        private final Map<String, Function<URI, Servlet>> servlets = new LinkedHashMap<>();
        private Consumer<ServletContext> startup = c -> { };
        private URI issuer;
        private int port;

        private Builder() {
        }

        /**
         * The issuer, and the base of the default resource {@code /mcp}, instead of the bound address: for several
         * servers behind one public URL (a load balancer). The base URI stays the bound address.
         */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** The port to bind (default 0: a free one), e.g. to restart a server where it was. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The clock of the server. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The stores (default in memory). */
        public Builder stores(Stores stores) {
            this.stores = stores;
            return this;
        }

        /** Extra settings, applied after issuer and clock. */
        public Builder settings(Consumer<AuthorizationServerSettings.Builder> settings) {
            this.settings = settings;
            return this;
        }

        /** Extra McpOAuth configuration. */
        public Builder oauth(Consumer<McpOAuth.Builder> oauth) {
            this.oauth = oauth;
            return this;
        }

        /** An extra servlet at {@code path}, made from the base URI. */
        public Builder servlet(String path, Function<URI, Servlet> servlet) {
            servlets.put(path, servlet);
            return this;
        }

        /** Runs {@code startup} on the servlet context while it starts (e.g. to configure the session cookie). */
        public Builder startup(Consumer<ServletContext> startup) {
            this.startup = startup;
            return this;
        }

        /** Starts the server. */
        public TestServer start() throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
            connector.open();
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            URI iss = issuer != null ? issuer : base;
            AuthorizationServerSettings.Builder sb = AuthorizationServerSettings.builder()
                    .issuer(iss).clock(clock).resource(iss + "/mcp");
            settings.accept(sb);
            McpOAuth.Builder ob = McpOAuth.builder().settings(sb.build())
                    .authenticator(ResourceOwnerAuthenticator.sessionAttribute(USER_ATTRIBUTE, "/login"));
            if (stores != null) {
                ob.stores(stores);
            }
            oauth.accept(ob);
            McpOAuth mcpOAuth = ob.build();

            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath("/");
            Consumer<ServletContext> onStartup = startup;
            context.addServletContainerInitializer((classes, ctx) -> onStartup.accept(ctx));
            context.addServletContainerInitializer(mcpOAuth.initializer());
            context.addServlet(new ServletHolder(new TestLoginServlet(USERS, USER_ATTRIBUTE)), "/login");
            servlets.forEach((path, s) -> context.addServlet(new ServletHolder(s.apply(base)), path));
            server.setHandler(context);
            server.start();
            return new TestServer(server, base, mcpOAuth);
        }
    }
}
