package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.client.document.MetadataDocumentClients;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits;
import io.github.mcpoauth.servlet.internal.guard.BearerGuardFilter;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

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
 * <p>It mounts, relative to the context path: the RFC 8414 metadata, the authorization, consent, token,
 * registration, revocation, introspection and JWKS endpoints at the {@link EndpointPaths}, and, when enabled, root
 * aliases ({@code /authorize}, {@code /token}, {@code /register}). Servlets and session attributes carry a key of
 * the instance's own, so two servers can live in one JVM, even in one context.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization">MCP authorization</a>
 */
public final class McpOAuth implements AutoCloseable {

    /** A servlet and the paths (relative to the context) it is mapped to. */
    public record Mount(String name, Servlet servlet, List<String> paths) {
        /** Copies the paths. */
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(servlet, "servlet");
            paths = List.copyOf(paths);
        }
    }

    /** A filter and the paths (relative to the context) it guards. */
    public record FilterMount(String name, Filter filter, List<String> paths) {
        /** Copies the paths. */
        public FilterMount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
            paths = List.copyOf(paths);
        }
    }

    private final AuthorizationServer server;
    private final OwnResources resources;
    private final McpScopeRules scopeRules;
    private final boolean protectResources;
    private final boolean cors;
    private final MountTable table;
    private final boolean ownsDocumentClients;
    private final EndpointMounts endpoints;
    private final EdgeLimits edge;
    private final RateLimit badTokenLimit;
    private final TrustedProxies trustedProxies;
    private final boolean wellKnownAtRoot;
    private volatile boolean rootServed;

    private McpOAuth(Builder b) {
        Secrets secrets = Secrets.create();
        if (b.protectResources) {
            b.server.sameAppResources(OwnResources::servedHere); // tokens only our own guards verify: MAC'd
        }
        this.server = b.server.secrets(secrets).build();
        String key = secrets.newId(6);
        this.table = new MountTable(key);
        this.ownsDocumentClients = b.ownsDocumentClients;
        this.resources = new OwnResources(server, b.requiredScopes);
        this.scopeRules = b.scopeRules;
        this.protectResources = b.protectResources;
        this.cors = b.cors;
        this.edge = new EdgeLimits(b.bodyTimeout, server.settings().clock(), b.storePermits);
        this.endpoints = new EndpointMounts(server, b.authenticator, b.consentPage, secrets, key, b.maxRequestBytes,
                b.rootAliases, EndpointMounts.limiters(server, b.rateLimits, b.trustedProxies), edge);
        this.badTokenLimit = b.badTokenLimit;
        this.trustedProxies = b.trustedProxies;
        this.wellKnownAtRoot = b.wellKnownAtRoot;
    }

    /**
     * The verifier of tokens for {@code resource} (one of the settings' resources), against this server's keys and
     * grants: no HTTP round trip, a revoked grant refused at once; one per resource, shared by its guards.
     */
    public AccessTokenVerifier verifier(URI resource) {
        return resources.verifier(resource);
    }

    /** The RFC 9728 settings of each protected resource, in the order of the authorization server settings. */
    public List<ProtectedResourceSettings> protectedResources() {
        return resources.settings();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The framework-neutral server behind the servlets. */
    public AuthorizationServer server() {
        return server;
    }

    /**
     * Registers every servlet on {@code context}, and a listener that {@linkplain #close() closes} this instance
     * when the context is destroyed; call during startup (before the context is initialized). Under a context path
     * it fails unless the protected resource metadata is served at the root ({@link #rootInitializer()} or
     * {@link Builder#wellKnownAtRoot}); see docs/deployment.md.
     */
    public void install(ServletContext context) {
        String path = context.getContextPath();
        if (protectResources) {
            RootWellKnown.requireServed(path, resources.servedHere(), wellKnownAtRoot || rootServed,
                    "McpOAuth.rootInitializer()");
        }
        MountTable.install(context, filters(path), mounts(path), endpoints.aliases(path));
        context.addListener(new ClosingListener(this));
    }

    /**
     * A container initializer for the host's root context when this server is installed under a context path
     * (e.g. a WAR at {@code /app}): it serves the documents RFC 9728 and RFC 8414 put at the host's root, the
     * protected resource metadata ({@code /.well-known/oauth-protected-resource/app/mcp}) and the authorization
     * server metadata ({@code /.well-known/oauth-authorization-server/app}). Asking for it tells {@link #install}
     * that the root is served. */
    public ServletContainerInitializer rootInitializer() {
        rootServed = true;
        return (classes, context) -> MountTable.install(context, List.of(), RootWellKnown.rootMounts(
                context.getContextPath(), table, protectResources ? resources.servedHere() : List.of(),
                endpoints.metadataServlet(), server.metadata().wellKnownPaths(), server.settings().issuer()));
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
     * (e.g. Jetty's {@code ServletContextHandler.addServlet}). Register them async-supported (Jetty:
     * {@code ServletHolder.setAsyncSupported(true)}) so that request bodies are read without holding a thread;
     * see docs/operations.md.
     */
    public List<Mount> mounts(String contextPath) {
        List<Mount> mounts = new ArrayList<>(endpoints.mounts(contextPath, table));
        if (protectResources) {
            table.resourceMetadata(resources.settings()).ifPresent(mounts::add);
        }
        return List.copyOf(mounts);
    }

    /**
     * The bearer guards for the resources on this server's origin that lie inside a context at
     * {@code contextPath}: each resource's path and everything below it (RFC 6750, RFC 9728 §5.1). Empty when
     * {@link Builder#protectResources(boolean)} is off.
     */
    public List<FilterMount> filters(String contextPath) {
        if (!protectResources) {
            return List.of();
        }
        return table.guards(contextPath, resources.settings(), this::verifier, scopeRules, cors, resources::sameOrigin,
                guard -> guard.storePermits(edge.storePermits()).badTokenThrottle(badTokenLimit, trustedProxies,
                        server.settings().clock(), server.auditListener()));
    }

    /**
     * Stops what this instance started: the authorization server's housekeeping thread, and the thread pools that
     * fetch client ID metadata documents if the server made them (stores the host passed are the host's to close).
     * Call it when the context is destroyed, so a redeployed application leaks no thread.
     */
    @Override
    public void close() {
        server.close();
        if (ownsDocumentClients && server.stores().clients() instanceof MetadataDocumentClients documents) {
            documents.close();
        }
    }

    /** Builds {@link McpOAuth}; settings and authenticator are required. */
    public static final class Builder {
        /** Takes the options the authorization server itself has: settings, stores, audit listener, CIMD. */
        private final AuthorizationServer.Builder server = AuthorizationServer.builder();
        private ResourceOwnerAuthenticator authenticator;
        private ConsentPage consentPage = ConsentPage.builtIn();
        private long maxRequestBytes = EdgeLimits.DEFAULT_MAX_BODY;
        private boolean rootAliases = true;
        private RateLimits rateLimits = RateLimits.defaults();
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private boolean protectResources = true;
        private boolean cors = true;
        private Set<String> requiredScopes;
        private McpScopeRules scopeRules;
        private boolean ownsDocumentClients = true;
        private Duration bodyTimeout = EdgeLimits.DEFAULT_BODY_TIMEOUT;
        private StorePermits storePermits = StorePermits.defaults();
        private RateLimit badTokenLimit = BearerGuardFilter.DEFAULT_BAD_TOKEN_LIMIT;
        private boolean wellKnownAtRoot;

        private Builder() {
        }

        /**
         * How long a client may take to send a request body to a JSON endpoint, 1 second to 5 minutes (default
         * 10 seconds); a slower one gets 408 with {@code Connection: close}. See docs/operations.md.
         */
        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = BuilderChecks.durationBetween("bodyTimeout", bodyTimeout, Duration.ofSeconds(1),
                    Duration.ofMinutes(5));
            return this;
        }

        /**
         * The bound on concurrent store-bound requests (token, registration, revocation, introspection, and the
         * guards' token verification; default 64 permits, 1 second wait); none in time: 503 with
         * {@code Retry-After}, so a slow store cannot starve metadata and JWKS. See docs/operations.md.
         */
        public Builder storePermits(int permits, Duration maxWait) {
            this.storePermits = StorePermits.of(permits, maxWait);
            return this;
        }

        /**
         * How many requests with a bad access token one client address may send to the guards before it gets 429
         * with {@code Retry-After} (default 30 a minute).
         */
        public Builder badTokenLimit(RateLimit badTokenLimit) {
            this.badTokenLimit = Objects.requireNonNull(badTokenLimit, "badTokenLimit");
            return this;
        }

        /**
         * Whether to guard the settings' resources that are on the issuer's origin with a bearer guard
         * and serve their RFC 9728 metadata (default true). Turn off to mount the guard yourself.
         */
        public Builder protectResources(boolean protectResources) {
            this.protectResources = protectResources;
            return this;
        }

        /**
         * Whether an https URL serving a client ID metadata document may be used as a {@code client_id} without
         * registering (MCP 2025-11-25; default true). See docs/client-id-metadata-documents.md.
         */
        public Builder clientIdMetadataDocuments(boolean enabled) {
            server.clientIdMetadataDocuments(enabled);
            return this;
        }

        /**
         * Whether the protected resources and their metadata answer browser clients' CORS requests (any origin, no
         * credentials; default true). The authorization server's JSON endpoints always do.
         */
        public Builder cors(boolean cors) {
            this.cors = cors;
            return this;
        }

        /** The scopes every request to a protected resource needs (default: the settings' default scopes). */
        public Builder requiredScopes(Set<String> requiredScopes) {
            this.requiredScopes = Set.copyOf(Objects.requireNonNull(requiredScopes, "requiredScopes"));
            return this;
        }

        /** Scopes needed for particular MCP methods or tools, e.g. {@code tools/call} of one tool (default none). */
        public Builder scopeRules(McpScopeRules scopeRules) {
            this.scopeRules = Objects.requireNonNull(scopeRules, "scopeRules");
            return this;
        }

        /** The authorization server settings (required). */
        public Builder settings(AuthorizationServerSettings settings) {
            server.settings(settings);
            return this;
        }

        /** The stores (default: in memory). */
        public Builder stores(Stores stores) {
            server.stores(stores);
            this.ownsDocumentClients = !(stores.clients() instanceof MetadataDocumentClients);
            return this;
        }

        /** Where audit events go (default: logged through {@link System.Logger}). */
        public Builder auditListener(AuditListener audit) {
            server.auditListener(audit);
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

        /**
         * Whether the host serves the well-known documents outside the context path itself (a proxy route to this
         * context; default false): lets {@link #install} proceed under a context path. See docs/deployment.md.
         */
        public Builder wellKnownAtRoot(boolean wellKnownAtRoot) {
            this.wellKnownAtRoot = wellKnownAtRoot;
            return this;
        }

        /**
         * Whether to mount {@code /authorize}, {@code /token}, {@code /register} at the root too (default true; in
         * the root context only). An alias the application maps itself is left to it, with a warning.
         */
        public Builder rootAliases(boolean rootAliases) {
            this.rootAliases = rootAliases;
            return this;
        }

        /**
         * Rate limits of the token, registration, revocation and introspection endpoints (default
         * {@link RateLimits#defaults()}; {@link RateLimits#none()} turns them off).
         */
        public Builder rateLimits(RateLimits rateLimits) {
            this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
            return this;
        }

        /**
         * The reverse proxies (IP addresses or CIDR ranges) whose {@code X-Forwarded-For} names the client address
         * for rate limits (default: none; the connection's peer is the client). See {@link TrustedProxies}.
         */
        public Builder trustedProxies(String... addressesOrRanges) {
            this.trustedProxies = TrustedProxies.of(addressesOrRanges);
            return this;
        }

        /**
         * More authorization server options: the cleanup of host stores ({@code s -> s.cleanup(jdbc.cleanup())}),
         * trusted workload and enterprise issuers (docs/machine-clients.md).
         */
        public Builder authorizationServer(Consumer<AuthorizationServer.Builder> configure) {
            configure.accept(server);
            return this;
        }

        /** Builds; fails naming the missing field. */
        public McpOAuth build() {
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required");
            }
            return new McpOAuth(this);
        }
    }
}
