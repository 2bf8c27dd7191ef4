package io.github.mcpoauth.examples.jetty;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.DpopSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Embedded Jetty 12 (ee10, Servlet 6.0) serving an MCP endpoint at {@value #MCP_PATH} built with the official MCP
 * Java SDK, plus a demo login page at {@value #LOGIN_PATH}.
 *
 * <p>Run: {@code mvn -pl examples -am package -DskipTests && mvn -pl examples exec:java} (or {@code main} from an
 * IDE). Environment: {@code PORT} (default 8080), {@code ISSUER} (public base URL, default
 * {@code http://localhost:PORT}), {@code BIND_HOST} (default: all interfaces), {@code JDBC_URL} with optional
 * {@code JDBC_USER} and {@code JDBC_PASSWORD} (PostgreSQL for mcp-oauth's state; default: in memory),
 * {@code WARM_UP_SECONDS} (a warm-up on throwaway twins, for at most that many seconds, before the port opens,
 * {@link WarmStart}; default none).
 *
 * <p>In-process (tests): {@code try (RunningExample ex = ExampleServer.start(ExampleConfig.ephemeral())) { ... }}.
 *
 * <p>The OAuth wiring goes into exactly one place:
 * {@link #installAuthorization(ServletContextHandler, URI, ExampleConfig.Database)}.
 */
public final class ExampleServer {

    private static final Logger LOG = Logger.getLogger(ExampleServer.class.getName());

    public static final String MCP_PATH = "/mcp";
    public static final String LOGIN_PATH = "/login";

    /** The name of the MCP servlet in the example's context (mapped at {@value #MCP_PATH}). */
    public static final String MCP_SERVLET = "mcp";

    private ExampleServer() {
    }

    public static void main(String[] args) throws Exception {
        DemoMachineClients demo = DemoMachineClients.generate(java.time.Clock.systemUTC());
        ExampleConfig env = ExampleConfig.fromEnvironment();
        Duration warmUp = ExampleConfig.warmUpFromEnvironment(System.getenv());
        ExampleConfig config = env.withAuthorizationInstaller(warmUp.isZero() ? authorization(env.database(), demo)
                : warmStarted(env.database(), demo));
        ServerPools pools = new ServerPools();
        if (!warmUp.isZero()) {
            // before the port opens: a readiness probe sees the server only once its request paths are compiled
            WarmStart.run(warmUp, WarmStart.DEFAULT_CLIENTS, pools, twin(demo));
        }
        RunningExample running = start(config, pools);
        if (!warmUp.isZero()) {
            WarmStart.awaitStarted(); // the banner, the example's sign of readiness, once its start is compiled
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "example-shutdown"));
        System.out.println("mcp-oauth example running at " + running.baseUri());
        System.out.println("  MCP endpoint:        " + running.mcpUri());
        System.out.println("  server metadata:     " + running.baseUri() + "/.well-known/oauth-authorization-server");
        System.out.println("  demo users:          alice / alice-password, bob / bob-password");
        System.out.println(demo.describe());
        System.out.println("  storage:             " + (config.database() == null
                ? "in memory (set JDBC_URL for PostgreSQL)" : "PostgreSQL " + config.database()));
        running.join();
    }

    /**
     * Starts the example. The port is bound before the context is built, so with port 0 the derived issuer (and
     * everything the authorization installer configures from it) already carries the real port.
     */
    public static RunningExample start(ExampleConfig config) throws Exception {
        return start(config, new ServerPools());
    }

    /**
     * Starts the example on {@code pools}, which it takes over (their threads stop when it closes): the pools a
     * {@link WarmStart} ran its twins on, so that the first requests find their threads and buffers in place.
     */
    public static RunningExample start(ExampleConfig config, ServerPools pools) throws Exception {
        return start(config, pools, true);
    }

    /** Starts the example on {@code pools}; unless it {@code takesOver} them, it leaves their threads running. */
    static RunningExample start(ExampleConfig config, ServerPools pools, boolean takesOver) throws Exception {
        Server server = pools.server(takesOver);
        // a client must keep sending: an idle connection closes after 30 s, a body slower than 64 B/s is cut off
        // (mcp-oauth's own endpoints also bound the body read; see docs/operations.md). Jetty measures the rate
        // from the start of the request, so a higher floor refuses small bodies on a busy machine: keep it low.
        HttpConfiguration http = new HttpConfiguration();
        http.setMinRequestDataRate(64);
        // Jetty caches each connection's header values to skip re-parsing repeated ones, in one table whose size
        // (1,024 characters by default) is also the longest value cached. An Authorization header holds a different
        // bearer token per client, and on connections that carry many clients' requests (a proxy, a gateway) a table
        // that takes tokens is filled, cleared and refilled on every request. With mcp-oauth's same-app tokens of
        // about 70 characters no size served a guarded endpoint better than none (docs/performance.md, "Reference
        // tokens"): 128 and 64 to 72 made a guarded request cost the server 3 to 4.5 us more than an unguarded one,
        // none 0.6 to 1.8 us, and guarded requests ran as fast without the cache as with the best size.
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(30));
        connector.setPort(config.port());
        if (config.bindHost() != null) {
            connector.setHost(config.bindHost());
        }
        server.addConnector(connector);
        server.setStopAtShutdown(false);
        server.setStopTimeout(TimeUnit.SECONDS.toMillis(5));

        connector.open(); // bind now to learn the port (start() keeps the open channel)
        int port = connector.getLocalPort();
        URI issuer = config.effectiveIssuer(port);

        ExampleMcpServer mcp = ExampleMcpServer.create(MCP_PATH);
        try {
            ServletContextHandler ctx = buildContext(mcp);
            config.authorizationInstaller().install(ctx, issuer);
            server.setHandler(ctx);
            server.start();
        } catch (Exception e) {
            mcp.close();
            server.stop();
            connector.close(); // opened above, maybe never started
            throw e;
        }
        LOG.info(() -> "Example server listening on port " + port + ", issuer " + issuer);
        return new Running(server, mcp, issuer, port);
    }

    /** The servlet context without any authorization: MCP endpoint, demo login, home page. */
    static ServletContextHandler buildContext(ExampleMcpServer mcp) {
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");

        SessionHandler sessions = ctx.getSessionHandler();
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.LAX);
        sessions.setMaxInactiveInterval((int) TimeUnit.MINUTES.toSeconds(30));

        ServletHolder mcpHolder = new ServletHolder(MCP_SERVLET, mcp.servlet());
        mcpHolder.setAsyncSupported(true); // the streamable transport uses AsyncContext for SSE
        ctx.addServlet(mcpHolder, MCP_PATH);

        installDemoLogin(ctx);

        ctx.addServlet(new ServletHolder("home", new HomeServlet()), "");
        return ctx;
    }

    /** The demo login page ({@link DemoLoginServlet}); the library's login SPI will delegate to it later. */
    static void installDemoLogin(ServletContextHandler ctx) {
        ctx.addServlet(new ServletHolder("demo-login", new DemoLoginServlet(DemoUsers.DEFAULT)), LOGIN_PATH);
    }

    /**
     * Installs mcp-oauth with in-memory stores: {@link #installAuthorization(ServletContextHandler, URI,
     * ExampleConfig.Database)} without a database.
     */
    public static void installAuthorization(ServletContextHandler ctx, URI issuer) {
        installAuthorization(ctx, issuer, null);
    }

    /**
     * Installs mcp-oauth: the authorization server endpoints (metadata, registration, authorization with the demo
     * login and the built-in consent page, token, revocation, introspection, JWKS) and the bearer guard on
     * {@value #MCP_PATH}. The issuer is the example's public base URL and the protected resource is
     * {@value #MCP_PATH} under it. The state lives in {@code database} (PostgreSQL through {@link JdbcStores}, the
     * tables created or upgraded here), or in memory when it is {@code null} (see docs/storage.md).
     */
    public static void installAuthorization(ServletContextHandler ctx, URI issuer, ExampleConfig.Database database) {
        installAuthorization(ctx, issuer, database, null, defaultLogin());
    }

    /** The demo users' login: the session attribute {@link DemoLoginServlet} sets. */
    static ResourceOwnerAuthenticator defaultLogin() {
        return ResourceOwnerAuthenticator.sessionAttribute(DemoLoginServlet.SESSION_USER, LOGIN_PATH);
    }

    /** The same with another login hook (e.g. {@link UpstreamLoginExample}: demo users or an OpenID provider). */
    static void installAuthorization(ServletContextHandler ctx, URI issuer, ExampleConfig.Database database,
            ResourceOwnerAuthenticator authenticator) {
        installAuthorization(ctx, issuer, database, null, authenticator);
    }

    /**
     * The same, with the demo machine clients registered and the demo workload and enterprise issuers trusted
     * ({@link DemoMachineClients}) when {@code demo} is not {@code null}.
     */
    public static void installAuthorization(ServletContextHandler ctx, URI issuer, ExampleConfig.Database database,
            DemoMachineClients demo) {
        installAuthorization(ctx, issuer, database, demo, defaultLogin());
    }

    private static void installAuthorization(ServletContextHandler ctx, URI issuer, ExampleConfig.Database database,
            DemoMachineClients demo, ResourceOwnerAuthenticator authenticator) {
        installAuthorization(ctx, issuer, database, demo, authenticator, Start.PLAIN);
    }

    /**
     * How the authorization is installed: for a plain start, for the real server after a {@link WarmStart}, or for
     * one of its twins. The three share every setting, written once below, so that the twins run the code paths the
     * real server will, with the same types behind them (the JIT compiles for what it saw: code compiled on a twin
     * without DPoP nonces, say, is thrown away on the real server's first requests).
     */
    enum Start {
        /** A server started without a warm start: the authorization server warms up in-process. */
        PLAIN,
        /**
         * The real server after a warm start: without the authorization server's own warm-up flow at start ({@code
         * AuthorizationServer.Builder.warmUpFlows(0)}). The twins compiled its code already, and that one in-process
         * flow (on a throwaway server whose client store is of another type than the real server's) sent the
         * compiled authorization endpoint, store and audit paths back to the interpreter right before the first
         * requests (C2 compiled the endpoint's validation alone again for 0.7 s during the load harness's first
         * flows: docs/performance.md).
         */
        WARM_STARTED,
        /**
         * A twin of the warm start: as {@link #WARM_STARTED}, with no rate limits (its clients are many and fast),
         * on in-memory stores of its own ({@link #twin} takes no database: nothing of the warm-up reaches the real
         * server's).
         */
        TWIN
    }

    private static void installAuthorization(ServletContextHandler ctx, URI issuer, ExampleConfig.Database database,
            DemoMachineClients demo, ResourceOwnerAuthenticator authenticator, Start start) {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder()
                .issuer(issuer)
                .resource(issuer + MCP_PATH)
                .scopes(Set.of("mcp"))
                // DPoP (RFC 9449) accepted, with server nonces; bearer tokens still work (docs/dpop.md)
                .dpop(DpopSettings.builder().nonces(true).build())
                .build();
        McpOAuth.Builder oauth = McpOAuth.builder()
                .settings(settings)
                .authenticator(authenticator);
        if (database != null) {
            oauth.stores(jdbcStores(ctx, database, settings.clock()));
        }
        if (demo != null) {
            oauth.authorizationServer(server -> demo.trustDemoIssuers(server, issuer));
        }
        if (start != Start.PLAIN) {
            oauth.authorizationServer(server -> server.warmUpFlows(0));
        }
        if (start == Start.TWIN) {
            oauth.rateLimits(RateLimits.none());
        }
        McpOAuth built = oauth.build();
        if (demo != null) {
            demo.register(built.server().machineClients());
        }
        ctx.addServletContainerInitializer(built.initializer());
    }

    /** {@link #installAuthorization(ServletContextHandler, URI, ExampleConfig.Database)} on {@code database}. */
    public static AuthorizationInstaller authorization(ExampleConfig.Database database) {
        return (ctx, issuer) -> installAuthorization(ctx, issuer, database);
    }

    /** {@link #installAuthorization(ServletContextHandler, URI, ExampleConfig.Database, DemoMachineClients)}. */
    public static AuthorizationInstaller authorization(ExampleConfig.Database database, DemoMachineClients demo) {
        return (ctx, issuer) -> installAuthorization(ctx, issuer, database, demo);
    }

    /** {@link #authorization(ExampleConfig.Database, DemoMachineClients)} for the real server after a warm start. */
    static AuthorizationInstaller warmStarted(ExampleConfig.Database database, DemoMachineClients demo) {
        return (ctx, issuer) -> installAuthorization(ctx, issuer, database, demo, defaultLogin(), Start.WARM_STARTED);
    }

    /** What the twins of a {@link WarmStart} install: {@link #warmStarted}'s settings, in memory, no rate limits. */
    static AuthorizationInstaller twin(DemoMachineClients demo) {
        return (ctx, issuer) -> installAuthorization(ctx, issuer, null, demo, defaultLogin(), Start.TWIN);
    }

    /** How long one statement may run before it is cancelled (the stores then answer 503). */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    /**
     * The JDBC stores on {@code database} through a HikariCP pool ({@link #pool}), its tables created or upgraded
     * first (safe on every start, from every node). The pool closes with the servlet context.
     */
    static Stores jdbcStores(ServletContextHandler ctx, ExampleConfig.Database database, Clock clock) {
        HikariDataSource dataSource = pool(database);
        try {
            JdbcStores jdbc = JdbcStores.newBuilder(dataSource, clock).queryTimeout(QUERY_TIMEOUT).build();
            int applied = jdbc.migrate();
            LOG.info(() -> "mcp-oauth stores in PostgreSQL " + database + ": " + applied + " migration(s) applied");
            ctx.addEventListener(new ServletContextListener() {
                @Override
                public void contextDestroyed(ServletContextEvent event) {
                    dataSource.close();
                }
            });
            return jdbc.stores();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * A connection pool on {@code database} with every timeout set, so that a database that is down, unreachable
     * or frozen costs a request a few seconds (then 503 with {@code Retry-After}), never a hung thread: a pooled
     * connection within 3 s; a new one connected within 3 s and logged in within 3 s; no socket read longer than
     * 10 s (a frozen server never answers, and a query timeout cannot reach it); the cancel of a timed-out
     * statement sent within 3 s (it opens a connection of its own). Parameters in {@code JDBC_URL} take
     * precedence. See docs/operations.md.
     */
    static HikariDataSource pool(ExampleConfig.Database database) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mcp-oauth");
        config.setJdbcUrl(database.jdbcUrl());
        if (database.user() != null) {
            config.setUsername(database.user());
        }
        if (database.password() != null) {
            config.setPassword(database.password());
        }
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(3));
        config.setValidationTimeout(TimeUnit.SECONDS.toMillis(2));
        // no exception of its own at start: migrate() reports an outage as StoreException
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "3");
        config.addDataSourceProperty("loginTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "10");
        config.addDataSourceProperty("cancelSignalTimeout", "3");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    private record Running(Server server, ExampleMcpServer mcp, URI baseUri, int port) implements RunningExample {

        @Override
        public void join() throws InterruptedException {
            server.join();
        }

        @Override
        public void close() {
            try {
                mcp.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing MCP server failed", e);
            }
            try {
                server.stop();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping Jetty failed", e);
            }
        }
    }

    /** Tiny landing page so that a login without {@code return} has somewhere to go. */
    private static final class HomeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String user = DemoLoginServlet.currentUser(req);
            resp.setContentType("text/html;charset=UTF-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.getWriter().println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>mcp-oauth example</title></head><body><h1>mcp-oauth example</h1>"
                    + "<p>MCP endpoint: <code>" + DemoLoginServlet.escape(req.getContextPath() + MCP_PATH)
                    + "</code></p>"
                    + (user == null
                        ? "<p><a href=\"" + LOGIN_PATH + "\">Sign in</a></p>"
                        : "<p>Signed in as <strong>" + DemoLoginServlet.escape(user) + "</strong>.</p>")
                    + "</body></html>");
        }
    }
}
