package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings.EndpointPaths;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.internal.consent.ConnectedApps;
import io.github.mcpoauth.servlet.internal.consent.ConnectedAppsServlet;
import io.github.mcpoauth.servlet.internal.endpoint.AuthorizationServlet;
import io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits;
import io.github.mcpoauth.servlet.internal.client.RegistrationServlet;
import io.github.mcpoauth.servlet.internal.limit.EndpointLimiter;
import io.github.mcpoauth.servlet.internal.metadata.JwksServlet;
import io.github.mcpoauth.servlet.internal.metadata.MetadataServlet;
import io.github.mcpoauth.servlet.internal.token.IntrospectionServlet;
import io.github.mcpoauth.servlet.internal.token.RevocationServlet;
import io.github.mcpoauth.servlet.internal.token.TokenServlet;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authorization server's servlets of one {@link McpOAuth}: metadata, JWKS, authorization and consent, token,
 * registration, revocation and introspection, each with its rate limiter and edge limits, at the paths the
 * {@link MountTable} works out for a context.
 */
final class EndpointMounts {

    /** The root aliases, for clients that drop the issuer's paths during discovery. */
    static final List<String> ROOT_ALIASES = List.of("/authorize", "/token", "/register");

    private final AuthorizationServer server;
    private final ResourceOwnerAuthenticator authenticator;
    private final ConsentPage consentPage;
    private final Secrets secrets;
    private final String key;
    private final long maxRequestBytes;
    private final boolean rootAliases;
    private final Map<RateLimits.Endpoint, EndpointLimiter> limiters;
    private final EdgeLimits edge;

    EndpointMounts(AuthorizationServer server, ResourceOwnerAuthenticator authenticator, ConsentPage consentPage,
            Secrets secrets, String key, long maxRequestBytes, boolean rootAliases,
            Map<RateLimits.Endpoint, EndpointLimiter> limiters, EdgeLimits edge) {
        this.server = server;
        this.authenticator = authenticator;
        this.consentPage = consentPage;
        this.secrets = secrets;
        this.key = key;
        this.maxRequestBytes = maxRequestBytes;
        this.rootAliases = rootAliases;
        this.limiters = new EnumMap<>(limiters);
        this.edge = edge;
    }

    /** A rate limiter per endpoint. */
    static Map<RateLimits.Endpoint, EndpointLimiter> limiters(AuthorizationServer server, RateLimits limits,
            TrustedProxies proxies) {
        Map<RateLimits.Endpoint, EndpointLimiter> limiters = new EnumMap<>(RateLimits.Endpoint.class);
        for (RateLimits.Endpoint e : RateLimits.Endpoint.values()) {
            limiters.put(e, EndpointLimiter.create(limits, e, proxies, server.settings().clock(),
                    server.auditListener()));
        }
        return limiters;
    }

    /** The RFC 8414 metadata servlet (from memory: no store permit). */
    MetadataServlet metadataServlet() {
        return new MetadataServlet(server.metadata(), maxRequestBytes, edge);
    }

    /** The root aliases mounted in a context at {@code contextPath}: those left to the app if it maps them itself. */
    Set<String> aliases(String contextPath) {
        if (!rootAliases || (contextPath != null && !contextPath.isEmpty())) {
            return Set.of();
        }
        AuthorizationServerSettings s = server.settings();
        String base = s.issuer().getRawPath() == null ? "" : s.issuer().getRawPath();
        Set<String> own = Set.of(base + s.paths().authorization(), base + s.paths().token(),
                base + s.paths().registration());
        Set<String> aliases = new java.util.LinkedHashSet<>(ROOT_ALIASES);
        aliases.removeAll(own);
        return aliases;
    }

    List<McpOAuth.Mount> mounts(String contextPath, MountTable table) {
        AuthorizationServerSettings s = server.settings();
        EndpointPaths p = s.paths();
        String base = s.issuer().getRawPath() == null ? "" : s.issuer().getRawPath();
        List<McpOAuth.Mount> mounts = new ArrayList<>();

        List<String> wellKnown = MountTable.relative(contextPath, server.metadata().wellKnownPaths());
        // served from memory: no store permit (the JWK Set answers 503 + Retry-After if keys were never loaded)
        mounts.add(new McpOAuth.Mount(table.name("metadata"), metadataServlet(), wellKnown));
        mounts.add(new McpOAuth.Mount(table.name("jwks"), new JwksServlet(server.metadata(), maxRequestBytes, edge),
                MountTable.relative(contextPath, List.of(base + p.jwks()))));

        String authorizationPath = MountTable.relativeOne(contextPath, base + p.authorization());
        String consentPath = authorizationPath + "/consent";
        List<String> authorizePaths = new ArrayList<>(List.of(authorizationPath, consentPath));
        List<String> tokenPaths = new ArrayList<>(MountTable.relative(contextPath, List.of(base + p.token())));
        List<String> registerPaths = new ArrayList<>(MountTable.relative(contextPath,
                List.of(base + p.registration())));
        if (rootAliases) {
            MountTable.addAlias(authorizePaths, contextPath, "/authorize");
            MountTable.addAlias(tokenPaths, contextPath, "/token");
            MountTable.addAlias(registerPaths, contextPath, "/register");
        }
        mounts.add(new McpOAuth.Mount(table.name("authorize"), new AuthorizationServlet(server.authorization(),
                authenticator, consentPage, secrets, authorizationPath, consentPath, key, s.issuer(),
                limiters.get(RateLimits.Endpoint.AUTHORIZATION)), authorizePaths));
        mounts.add(new McpOAuth.Mount(table.name("token"), new TokenServlet(server.token(), maxRequestBytes,
                limiters.get(RateLimits.Endpoint.TOKEN), edge), tokenPaths));
        mounts.add(new McpOAuth.Mount(table.name("register"), new RegistrationServlet(server.registration(),
                maxRequestBytes, limiters.get(RateLimits.Endpoint.REGISTRATION), edge), registerPaths));
        mounts.add(new McpOAuth.Mount(table.name("revoke"), new RevocationServlet(server.revocation(),
                maxRequestBytes, limiters.get(RateLimits.Endpoint.REVOCATION), edge),
                MountTable.relative(contextPath, List.of(base + p.revocation()))));
        mounts.add(new McpOAuth.Mount(table.name("introspect"), new IntrospectionServlet(server.introspection(),
                maxRequestBytes, limiters.get(RateLimits.Endpoint.INTROSPECTION), edge),
                MountTable.relative(contextPath, List.of(base + p.introspection()))));
        // Connected apps (issue 10): the signed-in user's grants, revocable; same login hook and page renderer.
        String appsPath = MountTable.relativeOne(contextPath, base + "/connected-apps");
        mounts.add(new McpOAuth.Mount(table.name("connected-apps"), new ConnectedAppsServlet(new ConnectedApps(
                server.stores(), s.clock(), server.auditListener()), authenticator, consentPage, secrets, appsPath,
                key, s.issuer(), limiters.get(RateLimits.Endpoint.AUTHORIZATION)),
                List.of(appsPath, appsPath + "/api/*")));
        return List.copyOf(mounts);
    }
}
