package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.endpoint.AuthorizationServlet;
import io.github.mcpoauth.servlet.endpoint.JsonEndpointServlet;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one entry point of the servlet module: an MCP-ready OAuth 2.1 authorization server mounted into any
 * Jakarta Servlet 6 application.
 *
 * <pre>{@code
 * McpOAuth oauth = McpOAuth.builder()
 *     .settings(AuthorizationServerSettings.builder()
 *         .issuer("https://example.com")
 *         .resource("https://example.com/mcp")
 *         .build())
 *     .authenticator(ResourceOwnerAuthenticator.sessionAttribute("user", "/login"))
 *     .build();
 * oauth.install(servletContext);   // during startup, e.g. from a ServletContainerInitializer
 * }</pre>
 *
 * <p>It mounts, relative to the context path: the RFC 8414 metadata at its well-known URLs, the authorization,
 * consent, token, registration, revocation, introspection and JWKS endpoints at the configured
 * {@link EndpointPaths}, and, unless disabled, root aliases {@code /authorize}, {@code /token} and
 * {@code /register} for clients that drop paths during discovery. Each instance names its servlets and session
 * attributes with a key of its own, so two servers can live in one JVM, even in one context.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization">MCP authorization</a>
 */
public final class McpOAuth {

    private static final System.Logger LOG = System.getLogger(McpOAuth.class.getName());

    /** A servlet and the paths (relative to the context) it is mapped to. */
    public record Mount(String name, Servlet servlet, List<String> paths) {
        /** Copies the paths. */
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(servlet, "servlet");
            paths = List.copyOf(paths);
        }
    }

    private final AuthorizationServer server;
    private final ResourceOwnerAuthenticator authenticator;
    private final ConsentPage consentPage;
    private final long maxRequestBytes;
    private final boolean rootAliases;
    private final Secrets secrets;
    private final String key;

    private McpOAuth(Builder b) {
        this.secrets = Secrets.create();
        AuthorizationServer.Builder sb = AuthorizationServer.builder().settings(b.settings).auditListener(b.audit)
                .secrets(secrets);
        if (b.stores != null) {
            sb.stores(b.stores);
        }
        this.server = sb.build();
        this.authenticator = b.authenticator;
        this.consentPage = b.consentPage;
        this.maxRequestBytes = b.maxRequestBytes;
        this.rootAliases = b.rootAliases;
        this.key = secrets.newId(6);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The framework-neutral server behind the servlets. */
    public AuthorizationServer server() {
        return server;
    }

    /** Registers every servlet on {@code context}; call during startup (before the context is initialized). */
    public void install(ServletContext context) {
        for (Mount m : mounts(context.getContextPath())) {
            ServletRegistration.Dynamic reg = context.addServlet(m.name(), m.servlet());
            if (reg == null) {
                throw new IllegalStateException("a servlet named " + m.name() + " is registered already");
            }
            Set<String> conflicts = reg.addMapping(m.paths().toArray(String[]::new));
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException("paths already mapped to other servlets: " + conflicts);
            }
        }
    }

    /**
     * A container initializer that calls {@link #install}: for embedded containers, e.g. Jetty's
     * {@code ServletContextHandler.addServletContainerInitializer(oauth.initializer())} or Tomcat's
     * {@code Context.addServletContainerInitializer(oauth.initializer(), null)}. (A programmatically added
     * {@code ServletContextListener} may not register servlets, per Servlet 6 §4.4.)
     */
    public ServletContainerInitializer initializer() {
        return (classes, context) -> install(context);
    }

    /**
     * The servlets to mount in a context at {@code contextPath}, for hosts that register servlets their own way
     * (e.g. Jetty's {@code ServletContextHandler.addServlet}).
     */
    public List<Mount> mounts(String contextPath) {
        AuthorizationServerSettings s = server.settings();
        EndpointPaths p = s.paths();
        String base = s.issuer().getRawPath() == null ? "" : s.issuer().getRawPath();
        List<Mount> mounts = new ArrayList<>();

        List<String> wellKnown = relative(contextPath, server.metadata().wellKnownPaths());
        mounts.add(new Mount(name("metadata"), new JsonEndpointServlet(r -> server.metadata().metadata(),
                Set.of("GET", "HEAD"), maxRequestBytes), wellKnown));
        mounts.add(new Mount(name("jwks"), new JsonEndpointServlet(r -> server.metadata().jwks(),
                Set.of("GET", "HEAD"), maxRequestBytes), relative(contextPath, List.of(base + p.jwks()))));

        String authorizationPath = relativeOne(contextPath, base + p.authorization());
        String consentPath = authorizationPath + "/consent";
        List<String> authorizePaths = new ArrayList<>(List.of(authorizationPath, consentPath));
        List<String> tokenPaths = new ArrayList<>(relative(contextPath, List.of(base + p.token())));
        List<String> registerPaths = new ArrayList<>(relative(contextPath, List.of(base + p.registration())));
        if (rootAliases) {
            addAlias(authorizePaths, contextPath, "/authorize");
            addAlias(tokenPaths, contextPath, "/token");
            addAlias(registerPaths, contextPath, "/register");
        }
        mounts.add(new Mount(name("authorize"), new AuthorizationServlet(server.authorization(), authenticator,
                consentPage, secrets, authorizationPath, consentPath, key, s.issuer()), authorizePaths));
        mounts.add(new Mount(name("token"), new JsonEndpointServlet(server.token()::handle, Set.of("POST"),
                maxRequestBytes), tokenPaths));
        mounts.add(new Mount(name("register"), new JsonEndpointServlet(server.registration()::handle,
                Set.of("POST"), maxRequestBytes), registerPaths));
        mounts.add(new Mount(name("revoke"), new JsonEndpointServlet(server.revocation()::handle, Set.of("POST"),
                maxRequestBytes), relative(contextPath, List.of(base + p.revocation()))));
        mounts.add(new Mount(name("introspect"), new JsonEndpointServlet(server.introspection()::handle,
                Set.of("POST"), maxRequestBytes), relative(contextPath, List.of(base + p.introspection()))));
        return List.copyOf(mounts);
    }

    private String name(String endpoint) {
        return "mcp-oauth-" + key + "-" + endpoint;
    }

    private static void addAlias(List<String> paths, String contextPath, String alias) {
        strip(contextPath, alias).filter(a -> !paths.contains(a)).ifPresent(paths::add);
    }

    private static List<String> relative(String contextPath, List<String> absolute) {
        Set<String> out = new LinkedHashSet<>();
        for (String path : absolute) {
            Optional<String> r = strip(contextPath, path);
            if (r.isPresent()) {
                out.add(r.get());
            } else {
                LOG.log(System.Logger.Level.WARNING, "{0} lies outside the context path {1}; mount it at the root "
                        + "context or on a proxy", path, contextPath);
            }
        }
        return List.copyOf(out);
    }

    private static String relativeOne(String contextPath, String absolute) {
        return strip(contextPath, absolute).orElseThrow(() -> new IllegalStateException("endpoint " + absolute
                + " is outside the servlet context path " + contextPath + ": align the issuer with the context"));
    }

    private static Optional<String> strip(String contextPath, String path) {
        String ctx = contextPath == null ? "" : contextPath;
        if (ctx.isEmpty()) {
            return Optional.of(path);
        }
        return path.startsWith(ctx + "/") ? Optional.of(path.substring(ctx.length())) : Optional.empty();
    }

    /** Builds {@link McpOAuth}; settings and authenticator are required. */
    public static final class Builder {
        private AuthorizationServerSettings settings;
        private Stores stores;
        private AuditListener audit = AuditListener.logging();
        private ResourceOwnerAuthenticator authenticator;
        private ConsentPage consentPage = ConsentPage.builtIn();
        private long maxRequestBytes = JsonEndpointServlet.DEFAULT_MAX_BODY;
        private boolean rootAliases = true;

        private Builder() {
        }

        /** The authorization server settings (required). */
        public Builder settings(AuthorizationServerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The stores (default: in memory). */
        public Builder stores(Stores stores) {
            this.stores = Objects.requireNonNull(stores, "stores");
            return this;
        }

        /** Where audit events go (default: logged through {@link System.Logger}). */
        public Builder auditListener(AuditListener audit) {
            this.audit = Objects.requireNonNull(audit, "auditListener");
            return this;
        }

        /** How the host identifies the user (required). */
        public Builder authenticator(ResourceOwnerAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** The consent page (default: {@link ConsentPage#builtIn()}). */
        public Builder consentPage(ConsentPage consentPage) {
            this.consentPage = Objects.requireNonNull(consentPage, "consentPage");
            return this;
        }

        /** The largest request body read by the JSON endpoints, 1 KiB to 1 MiB (default 64 KiB). */
        public Builder maxRequestBytes(long maxRequestBytes) {
            if (maxRequestBytes < 1024 || maxRequestBytes > 1024 * 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be 1 KiB to 1 MiB, was " + maxRequestBytes);
            }
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** Whether to mount {@code /authorize}, {@code /token}, {@code /register} at the root too (default true). */
        public Builder rootAliases(boolean rootAliases) {
            this.rootAliases = rootAliases;
            return this;
        }

        /** Builds; fails naming the missing field. */
        public McpOAuth build() {
            if (settings == null) {
                throw new IllegalStateException("settings is required");
            }
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required");
            }
            return new McpOAuth(this);
        }
    }
}
