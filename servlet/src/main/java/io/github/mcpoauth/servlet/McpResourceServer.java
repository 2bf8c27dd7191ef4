package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.McpOAuth.FilterMount;
import io.github.mcpoauth.servlet.McpOAuth.Mount;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.internal.guard.ProtectedResourceMetadataServlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The resource server alone: a bearer guard in front of an MCP endpoint whose tokens come from another
 * authorization server (Keycloak, Auth0, Entra, any OpenID Provider), with no authorization-server endpoint
 * mounted.
 *
 * <pre>{@code
 * McpResourceServer rs = McpResourceServer.builder()
 *     .resource(ProtectedResourceSettings.builder()
 *         .resource("https://mcp.example.com/mcp")
 *         .authorizationServer("https://sso.example.com/realms/mcp")   // the tokens' "iss"
 *         .scopesSupported(List.of("mcp"))
 *         .requiredScopes(List.of("mcp"))
 *         .build())
 *     .jwks(URI.create("https://sso.example.com/realms/mcp/protocol/openid-connect/certs"))
 *     .build();
 * rs.install(servletContext);   // during startup
 * }</pre>
 *
 * <p>It installs, relative to the context path: the guard on the resource's path and everything below it (RFC
 * 6750: {@code WWW-Authenticate} challenges with {@code resource_metadata}, audience, issuer, algorithm and scope
 * checks, no token passthrough), the RFC 9728 protected resource metadata at
 * {@code /.well-known/oauth-protected-resource[/<path>]}, and unless turned off a CORS filter for browser-based
 * MCP clients. Behind the guard, {@code request.getUserPrincipal()} is the caller's
 * {@link io.github.mcpoauth.core.resource.AccessTokenPrincipal}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750">RFC 6750</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 */
public final class McpResourceServer {

    private final ProtectedResourceSettings resource;
    private final AccessTokenVerifier verifier;
    private final McpScopeRules scopeRules;
    private final boolean cors;
    private final MountTable table;
    private final LegacyTokens legacyTokens;
    private final boolean wellKnownAtRoot;
    private volatile boolean rootServed;

    private McpResourceServer(Builder b) {
        this.resource = b.resource;
        this.legacyTokens = b.legacyTokens;
        this.verifier = b.verifier != null ? b.verifier
                : AccessTokenVerifier.builder(b.resource).remoteJwks(b.jwks).build();
        if (!verifier.settings().resource().equals(resource.resource())) {
            throw new IllegalArgumentException("verifier checks tokens for " + verifier.settings().resource()
                    + ", not for " + resource.resource());
        }
        this.scopeRules = b.scopeRules;
        this.cors = b.cors;
        this.table = new MountTable("rs-" + Secrets.create().newId(6));
        this.wellKnownAtRoot = b.wellKnownAtRoot;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The resource's RFC 9728 settings. */
    public ProtectedResourceSettings resource() {
        return resource;
    }

    /** The verifier the guard uses; for checks of your own (e.g. {@code invalidate} after a logout). */
    public AccessTokenVerifier verifier() {
        return verifier;
    }

    /**
     * Registers the guard and the metadata servlet on {@code context}; call during startup. Under a context path
     * it fails unless the metadata is served at the root ({@link #rootInitializer()} or
     * {@link Builder#wellKnownAtRoot}); see docs/deployment.md.
     */
    public void install(ServletContext context) {
        RootWellKnown.requireServed(context.getContextPath(), List.of(resource), wellKnownAtRoot || rootServed,
                "McpResourceServer.rootInitializer()");
        MountTable.install(context, filters(context.getContextPath()), mounts(context.getContextPath()));
    }

    /**
     * A container initializer for the host's root context when the resource lives under a context path: it serves
     * the metadata where RFC 9728 puts it ({@code /.well-known/oauth-protected-resource/app/mcp}). Asking for it
     * tells {@link #install} that the root is served.
     */
    public ServletContainerInitializer rootInitializer() {
        rootServed = true;
        return (classes, context) -> {
            if (!context.getContextPath().isEmpty()) {
                throw new IllegalStateException("the root initializer belongs in the root context, not in "
                        + context.getContextPath());
            }
            MountTable.install(context, List.of(), List.of(new Mount(table.name("root-resource-metadata"),
                    ProtectedResourceMetadataServlet.of(resource), ProtectedResourceMetadataServlet.URL_PATTERNS)));
        };
    }

    /** A container initializer that calls {@link #install}, for embedded containers. */
    public ServletContainerInitializer initializer() {
        return (classes, context) -> install(context);
    }

    /** The guard (and CORS) filters for a context at {@code contextPath}, for hosts that register their own way. */
    public List<FilterMount> filters(String contextPath) {
        return table.guards(contextPath, List.of(resource), r -> verifier, scopeRules, cors, r -> true,
                guard -> legacyTokens == null ? guard : guard.legacyTokens(legacyTokens));
    }

    /** The RFC 9728 metadata servlet for a context at {@code contextPath}; empty if outside the context. */
    public List<Mount> mounts(String contextPath) {
        return table.resourceMetadata(List.of(resource)).stream().toList();
    }

    /** Builds a {@link McpResourceServer}: the resource, and either its JWKS URL or a verifier, are required. */
    public static final class Builder {
        private ProtectedResourceSettings resource;
        private URI jwks;
        private AccessTokenVerifier verifier;
        private McpScopeRules scopeRules;
        private boolean cors = true;
        private LegacyTokens legacyTokens;
        private boolean wellKnownAtRoot;

        private Builder() {
        }

        /**
         * The app's own check of bearer tokens that are not OAuth access tokens (API keys, personal access tokens),
         * tried only for a token that is not a JWT and that the verifier refused (default none: such tokens are
         * refused). See {@link LegacyTokens}.
         */
        public Builder legacyTokens(LegacyTokens legacyTokens) {
            this.legacyTokens = Objects.requireNonNull(legacyTokens, "legacyTokens");
            return this;
        }

        /**
         * Whether the host serves the metadata outside the context path itself (a proxy route to this context;
         * default false): lets {@link #install} proceed under a context path. See docs/deployment.md.
         */
        public Builder wellKnownAtRoot(boolean wellKnownAtRoot) {
            this.wellKnownAtRoot = wellKnownAtRoot;
            return this;
        }

        /** Who the resource is: its URI (the tokens' audience), the trusted issuers, its scopes (required). */
        public Builder resource(ProtectedResourceSettings resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /**
         * The authorization server's JWK Set URL (its metadata's {@code jwks_uri}): JWT access tokens are verified
         * against it with the defaults of {@code AccessTokenVerifier.Builder.remoteJwks}. Use {@link #verifier}
         * instead for introspection or other options.
         */
        public Builder jwks(URI jwksUri) {
            this.jwks = Objects.requireNonNull(jwksUri, "jwks");
            return this;
        }

        /** The verifier to use, built for the same resource (instead of {@link #jwks}). */
        public Builder verifier(AccessTokenVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /** Scopes needed for particular MCP methods or tools, on top of the required scopes (default none). */
        public Builder scopeRules(McpScopeRules scopeRules) {
            this.scopeRules = Objects.requireNonNull(scopeRules, "scopeRules");
            return this;
        }

        /** Whether the resource and its metadata answer browser clients' CORS requests (default true). */
        public Builder cors(boolean cors) {
            this.cors = cors;
            return this;
        }

        /** Builds; fails naming the missing or conflicting field. */
        public McpResourceServer build() {
            if (resource == null) {
                throw new IllegalStateException("resource is required");
            }
            if (jwks == null && verifier == null) {
                throw new IllegalStateException("jwks or verifier is required");
            }
            if (jwks != null && verifier != null) {
                throw new IllegalStateException("jwks and verifier are exclusive: set one");
            }
            return new McpResourceServer(this);
        }
    }

    /**
     * The app's validator of bearer tokens that predate OAuth (API keys, personal access tokens), so that CLI and
     * desktop clients configured with one keep working on the MCP endpoint next to OAuth clients.
     *
     * <p>The guard asks it only about a token that is not ours: one that does not have the shape of a JWT (RFC 7519
     * §7.2) and that the verifier refused as {@code invalid_token}; a JWT that fails verification never reaches
     * it, nor does a token the verifier could not check for lack of its store (503). A token it does not know
     * ({@code Optional.empty()}, or an exception, which is logged by class name only) gets the same 401 challenge
     * with {@code resource_metadata} as any refused token, so MCP clients still discover OAuth. The caller it
     * returns must hold the resource's required scopes and those of the {@link McpScopeRules} (403
     * {@code insufficient_scope} otherwise); behind the guard {@code request.getUserPrincipal()} is that
     * {@link Caller}, never an {@link io.github.mcpoauth.core.resource.AccessTokenPrincipal}, so tools can tell
     * the two apart. Implementations should compare tokens in constant time against stored hashes, and must
     * never log them.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
     */
    @FunctionalInterface
    public interface LegacyTokens {

        /** The caller {@code token} speaks for, or empty if it is not one of the app's tokens. */
        Optional<Caller> validate(String token);

        /**
         * Who a legacy token speaks for: a principal of its own type, never confused with an OAuth access token's.
         *
         * @param subject the user the token belongs to (the principal's name)
         * @param scopes what it allows, in the resource's scope vocabulary
         * @param kind what sort of token it was, for the app and the audit trail (e.g. {@code "api-key"})
         */
        record Caller(String subject, Set<String> scopes, String kind) implements Principal {

            /** Checks the fields and makes the scopes an unmodifiable copy. */
            public Caller {
                if (subject == null || subject.isEmpty()) {
                    throw new IllegalArgumentException("subject is required");
                }
                scopes = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(scopes, "scopes")));
                if (kind == null || kind.isEmpty()) {
                    throw new IllegalArgumentException("kind is required");
                }
            }

            /** The subject. */
            @Override
            public String getName() {
                return subject;
            }
        }
    }
}
