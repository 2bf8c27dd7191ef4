package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.client.document.MetadataDocumentClients;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.internal.endpoint.AuthorizationServlet;
import io.github.mcpoauth.servlet.internal.endpoint.JsonEndpointServlet;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final List<ProtectedResourceSettings> protectedResources;
    private final Map<URI, AccessTokenVerifier> verifiers = new LinkedHashMap<>();
    private final McpScopeRules scopeRules;
    private final boolean protectResources;
    private final boolean cors;
    private final ResourceOwnerAuthenticator authenticator;
    private final ConsentPage consentPage;
    private final long maxRequestBytes;
    private final boolean rootAliases;
    private final Secrets secrets;
    private final String key;
    private final MountTable table;
    private final boolean ownsDocumentClients;
    private final Map<RateLimits.Endpoint, EndpointLimiter> limiters = new EnumMap<>(RateLimits.Endpoint.class);

    private McpOAuth(Builder b) {
        this.secrets = Secrets.create();
        this.server = b.server.secrets(secrets).build();
        this.authenticator = b.authenticator;
        this.consentPage = b.consentPage;
        this.maxRequestBytes = b.maxRequestBytes;
        this.rootAliases = b.rootAliases;
        this.key = secrets.newId(6);
        this.table = new MountTable(key);
        this.ownsDocumentClients = b.ownsDocumentClients;
        AuditListener audit = server.auditListener();
        for (RateLimits.Endpoint e : RateLimits.Endpoint.values()) {
            limiters.put(e, EndpointLimiter.create(b.rateLimits, e, b.trustedProxies, server.settings().clock(),
                    audit));
        }
        AuthorizationServerSettings s = server.settings();
        Set<String> required = b.requiredScopes != null ? b.requiredScopes : s.defaultScopes();
        this.protectedResources = s.resources().stream().map(r -> ProtectedResourceSettings.builder()
                .resource(r)
                .authorizationServer(s.issuer())
                .scopesSupported(s.scopes())
                .requiredScopes(required)
                .clock(s.clock())
                .build()).toList();
        protectedResources.forEach(p -> verifiers.put(p.resource(), sameAppVerifier(p)));
        this.scopeRules = b.scopeRules;
        this.protectResources = b.protectResources;
        this.cors = b.cors;
    }

    private AccessTokenVerifier sameAppVerifier(ProtectedResourceSettings resource) {
        return AccessTokenVerifier.builder(resource)
                .jwkSource(server.signingKeys().jwkSource())
                .revocationCheck(server.revocationCheck())
                .build();
    }

    /**
     * A verifier for tokens of {@code resource} (one of the settings' resources) against this server's own keys
     * and grants: no HTTP round trip, and a revoked grant is refused on the next request. One verifier per
     * resource, made once, so its cache of verified tokens is shared by every guard of that resource.
     */
    public AccessTokenVerifier verifier(URI resource) {
        AccessTokenVerifier verifier = verifiers.get(resource);
        if (verifier == null) {
            throw new IllegalArgumentException(resource + " is not a resource of this server");
        }
        return verifier;
    }

    /** The RFC 9728 settings of each protected resource, in the order of the authorization server settings. */
    public List<ProtectedResourceSettings> protectedResources() {
        return protectedResources;
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
        MountTable.install(context, filters(context.getContextPath()), mounts(context.getContextPath()));
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

        List<String> wellKnown = MountTable.relative(contextPath, server.metadata().wellKnownPaths());
        mounts.add(new Mount(table.name("metadata"), new JsonEndpointServlet(r -> server.metadata().metadata(),
                Set.of("GET", "HEAD"), maxRequestBytes), wellKnown));
        mounts.add(new Mount(table.name("jwks"), new JsonEndpointServlet(r -> server.metadata().jwks(),
                Set.of("GET", "HEAD"), maxRequestBytes), MountTable.relative(contextPath, List.of(base + p.jwks()))));

        String authorizationPath = MountTable.relativeOne(contextPath, base + p.authorization());
        String consentPath = authorizationPath + "/consent";
        List<String> authorizePaths = new ArrayList<>(List.of(authorizationPath, consentPath));
        List<String> tokenPaths = new ArrayList<>(MountTable.relative(contextPath, List.of(base + p.token())));
        List<String> registerPaths = new ArrayList<>(MountTable.relative(contextPath, List.of(base + p.registration())));
        if (rootAliases) {
            MountTable.addAlias(authorizePaths, contextPath, "/authorize");
            MountTable.addAlias(tokenPaths, contextPath, "/token");
            MountTable.addAlias(registerPaths, contextPath, "/register");
        }
        mounts.add(new Mount(table.name("authorize"), new AuthorizationServlet(server.authorization(), authenticator,
                consentPage, secrets, authorizationPath, consentPath, key, s.issuer(),
                limiters.get(RateLimits.Endpoint.AUTHORIZATION)), authorizePaths));
        mounts.add(new Mount(table.name("token"), new JsonEndpointServlet(server.token()::handle, Set.of("POST"),
                maxRequestBytes, limiters.get(RateLimits.Endpoint.TOKEN)), tokenPaths));
        mounts.add(new Mount(table.name("register"), new JsonEndpointServlet(
                server.registration()::handle, Set.of("POST"), maxRequestBytes,
                limiters.get(RateLimits.Endpoint.REGISTRATION)), registerPaths));
        mounts.add(new Mount(table.name("revoke"), new JsonEndpointServlet(server.revocation()::handle, Set.of("POST"),
                maxRequestBytes, limiters.get(RateLimits.Endpoint.REVOCATION)),
                MountTable.relative(contextPath, List.of(base + p.revocation()))));
        mounts.add(new Mount(table.name("introspect"), new JsonEndpointServlet(server.introspection()::handle,
                Set.of("POST"), maxRequestBytes, limiters.get(RateLimits.Endpoint.INTROSPECTION)),
                MountTable.relative(contextPath, List.of(base + p.introspection()))));
        if (protectResources) {
            table.resourceMetadata(contextPath, protectedResources).ifPresent(mounts::add);
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
        URI issuer = server.settings().issuer();
        return table.guards(contextPath, protectedResources, this::verifier, scopeRules, cors,
                r -> Objects.equals(r.getScheme(), issuer.getScheme())
                        && Objects.equals(r.getRawAuthority(), issuer.getRawAuthority()));
    }

    /**
     * Stops what this instance started: the thread pools that fetch client ID metadata documents, if the server
     * made them (documents configured by the host through its own stores are the host's to close).
     */
    @Override
    public void close() {
        closeServer();
    }

    private void closeServer() {
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
        private long maxRequestBytes = JsonEndpointServlet.DEFAULT_MAX_BODY;
        private boolean rootAliases = true;
        private RateLimits rateLimits = RateLimits.defaults();
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private boolean protectResources = true;
        private boolean cors = true;
        private Set<String> requiredScopes;
        private McpScopeRules scopeRules;
        private boolean ownsDocumentClients = true;

        private Builder() {
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

        /** Whether to mount {@code /authorize}, {@code /token}, {@code /register} at the root too (default true). */
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

        /** Builds; fails naming the missing field. */
        public McpOAuth build() {
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required");
            }
            return new McpOAuth(this);
        }
    }
}
