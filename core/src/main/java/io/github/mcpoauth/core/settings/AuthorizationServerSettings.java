package io.github.mcpoauth.core.settings;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything an authorization server needs to know about itself: its issuer, the resources (MCP endpoints) it
 * issues tokens for, its scopes, lifetimes, endpoint paths and clock. Immutable; built with {@link #builder()},
 * which fails fast naming the bad field.
 *
 * <p>Endpoint paths are absolute paths on the issuer's origin, prefixed with the issuer's own path: for the
 * issuer {@code https://example.com/as} and the token path {@code /token} the token endpoint is
 * {@code https://example.com/as/token}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2 (issuer)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 (resource)</a>
 */
public final class AuthorizationServerSettings {

    private final URI issuer;
    private final List<URI> resources;
    private final Set<String> scopes;
    private final Set<String> defaultScopes;
    private final Duration accessTokenLifetime;
    private final Duration refreshTokenLifetime;
    private final Duration authorizationCodeLifetime;
    private final EndpointPaths paths;
    private final Clock clock;
    private final Duration cleanupInterval;
    private final Duration refreshTokenReuseInterval;
    private final java.util.Optional<DpopSettings> dpop;
    private final Duration signingKeyRotation;
    private final boolean dynamicMachineClients;
    private final JWSAlgorithm signingAlgorithm;
    private final boolean sameAppTokens;

    private AuthorizationServerSettings(Builder b) {
        this.issuer = b.issuer;
        this.resources = List.copyOf(b.resources);
        this.scopes = Set.copyOf(b.scopes);
        this.defaultScopes = Set.copyOf(b.defaultScopes == null ? b.scopes : b.defaultScopes);
        this.accessTokenLifetime = b.accessTokenLifetime;
        this.refreshTokenLifetime = b.refreshTokenLifetime;
        this.authorizationCodeLifetime = b.authorizationCodeLifetime;
        this.paths = b.paths;
        this.clock = b.clock;
        this.cleanupInterval = b.cleanupInterval;
        this.refreshTokenReuseInterval = b.refreshTokenReuseInterval;
        this.signingKeyRotation = b.signingKeyRotation;
        this.dpop = java.util.Optional.ofNullable(b.dpop);
        this.dynamicMachineClients = b.dynamicMachineClients;
        this.signingAlgorithm = b.signingAlgorithm;
        this.sameAppTokens = b.sameAppTokens;
    }

    /** What access tokens for other applications are signed with: ES256 (default), RS256, PS256 or EdDSA. */
    public JWSAlgorithm signingAlgorithm() {
        return signingAlgorithm;
    }

    /** Whether tokens for resources guarded in this application are MAC'd, not signed (default true). */
    public boolean sameAppTokens() {
        return sameAppTokens;
    }

    /** Whether dynamic registration may create {@code client_credentials} clients (default false). */
    public boolean dynamicMachineClients() {
        return dynamicMachineClients;
    }

    /** DPoP at the token endpoint and the guards (RFC 9449), if on (default off). */
    public java.util.Optional<DpopSettings> dpop() {
        return dpop;
    }

    /** A new builder with the defaults documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The issuer identifier (RFC 8414 §2): https (or http on a loopback host), no query, no fragment. */
    public URI issuer() {
        return issuer;
    }

    /** The canonical URIs of the resources this server issues tokens for (RFC 8707), the first is the default. */
    public List<URI> resources() {
        return resources;
    }

    /** The scopes this server knows, in no particular order. */
    public Set<String> scopes() {
        return scopes;
    }

    /** The scopes granted when a client asks for none (a subset of {@link #scopes()}). */
    public Set<String> defaultScopes() {
        return defaultScopes;
    }

    /** How long an access token lives (default 1 hour). */
    public Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    /** How long a refresh token lives after it is issued or rotated (default 30 days). */
    public Duration refreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    /** How long an authorization code lives (default 60 seconds; RFC 9700 §4.2.1 asks for short). */
    public Duration authorizationCodeLifetime() {
        return authorizationCodeLifetime;
    }

    /** How often housekeeping purges expired entries (default 10 minutes; {@link Duration#ZERO}: off). */
    public Duration cleanupInterval() {
        return cleanupInterval;
    }

    /** How long each signing key signs before its successor takes over (default 90 days). */
    public Duration signingKeyRotation() {
        return signingKeyRotation;
    }

    /** See {@link Builder#refreshTokenReuseInterval} (default {@link Duration#ZERO}: off). */
    public Duration refreshTokenReuseInterval() {
        return refreshTokenReuseInterval;
    }

    /** The endpoint paths. */
    public EndpointPaths paths() {
        return paths;
    }

    /** The clock every expiry is measured with. */
    public Clock clock() {
        return clock;
    }

    /** The absolute URL of {@code path} (one of {@link #paths()}) under the issuer. */
    public URI endpoint(String path) {
        // The issuer never ends with '/' (BuilderChecks.baseUri) and every path begins with one.
        return URI.create(issuer + path);
    }

    /** Whether {@code resource} is one this server issues tokens for (see {@link #protectedResource(URI)}). */
    public boolean protects(URI resource) {
        return protectedResource(resource).isPresent();
    }

    /**
     * The configured spelling of {@code candidate} if it names a resource this server issues tokens for: the same
     * URI ({@link URI#equals}: scheme and host in any case), or, for a resource at the origin root, the same with a
     * trailing {@code /} (what clients that normalise URLs send). The configured spelling is what tokens carry in
     * {@code aud}.
     */
    public java.util.Optional<URI> protectedResource(URI candidate) {
        return BuilderChecks.configuredResource(resources, candidate);
    }

    /**
     * Endpoint paths, relative to the issuer's path, each beginning with {@code /}.
     *
     * @param authorization the authorization endpoint (RFC 6749 §3.1), default {@code /oauth2/authorize}
     * @param token the token endpoint (RFC 6749 §3.2), default {@code /oauth2/token}
     * @param registration the dynamic registration endpoint (RFC 7591 §3), default {@code /oauth2/register}
     * @param revocation the revocation endpoint (RFC 7009 §2), default {@code /oauth2/revoke}
     * @param introspection the introspection endpoint (RFC 7662 §2), default {@code /oauth2/introspect}
     * @param jwks the JSON Web Key Set (RFC 7517 §5), default {@code /oauth2/jwks}
     */
    public record EndpointPaths(String authorization, String token, String registration, String revocation,
            String introspection, String jwks) {

        /** The default paths, under {@code /oauth2}. */
        public static EndpointPaths defaults() {
            return new EndpointPaths("/oauth2/authorize", "/oauth2/token", "/oauth2/register",
                    "/oauth2/revoke", "/oauth2/introspect", "/oauth2/jwks");
        }

        /** Validates every path; throws {@link IllegalArgumentException} naming the bad one. */
        public EndpointPaths {
            check("authorization", authorization);
            check("token", token);
            check("registration", registration);
            check("revocation", revocation);
            check("introspection", introspection);
            check("jwks", jwks);
            if (new java.util.HashSet<>(List.of(authorization, token, registration, revocation, introspection,
                    jwks)).size() != 6) { // not Set.of: its "duplicate element" names no field
                throw new IllegalArgumentException("paths: every endpoint needs a path of its own");
            }
        }

        /** All six paths, for mounting. */
        public List<String> all() {
            return List.of(authorization, token, registration, revocation, introspection, jwks);
        }

        private static void check(String name, String path) {
            BuilderChecks.endpointPath("paths." + name, path);
        }
    }

    /** Builds {@link AuthorizationServerSettings}; every setter checks its argument at once. */
    public static final class Builder {
        private URI issuer;
        private final List<URI> resources = new ArrayList<>();
        private final Set<String> scopes = new LinkedHashSet<>(List.of("mcp"));
        private Set<String> defaultScopes;
        private Duration accessTokenLifetime = Duration.ofHours(1);
        private Duration refreshTokenLifetime = Duration.ofDays(30);
        private Duration authorizationCodeLifetime = Duration.ofSeconds(60);
        private EndpointPaths paths = EndpointPaths.defaults();
        private Clock clock = Clock.systemUTC();
        private Duration cleanupInterval = Duration.ofMinutes(10);
        private Duration refreshTokenReuseInterval = Duration.ZERO;
        private DpopSettings dpop;
        private Duration signingKeyRotation = Duration.ofDays(90);
        private boolean dynamicMachineClients;
        private JWSAlgorithm signingAlgorithm = JWSAlgorithm.ES256;
        private boolean sameAppTokens = true;

        private Builder() {
        }

        /**
         * What tokens for other applications' resources are signed with (RFC 7518 §3, RFC 8037): ES256 (default),
         * RS256, PS256 (RSA 2048) or EdDSA (Ed25519). See docs/configuration.md ("Access token formats").
         */
        public Builder signingAlgorithm(JWSAlgorithm algorithm) {
            this.signingAlgorithm = BuilderChecks.signingAlgorithm("signingAlgorithm", algorithm);
            return this;
        }

        /**
         * Whether tokens for resources guarded in this same application are compact MAC'd tokens, not signed (default
         * true); false signs every token, e.g. for another app on this origin. See docs/configuration.md.
         */
        public Builder sameAppTokens(boolean sameAppTokens) {
            this.sameAppTokens = sameAppTokens;
            return this;
        }

        /** Lets dynamic registration create confidential {@code client_credentials} clients (default false). */
        public Builder dynamicMachineClients(boolean allowed) {
            this.dynamicMachineClients = allowed;
            return this;
        }

        /** Accepts DPoP proofs and binds tokens to their keys (default: off, bearer tokens only). */
        public Builder dpop(DpopSettings dpop) {
            this.dpop = Objects.requireNonNull(dpop, "dpop");
            return this;
        }

        /**
         * The issuer (required): {@code https}, or {@code http} on {@code localhost}/a loopback address for
         * development; no query, no fragment, no trailing slash.
         */
        public Builder issuer(URI issuer) {
            this.issuer = BuilderChecks.baseUri("issuer", issuer);
            return this;
        }

        /** Same as {@link #issuer(URI)} from a string. */
        public Builder issuer(String issuer) {
            return issuer(BuilderChecks.uri("issuer", issuer));
        }

        /**
         * Adds a protected resource, by its canonical URI (RFC 8707 §2, RFC 9728 §1.2): the MCP endpoint's URL,
         * e.g. {@code https://example.com/mcp}. Default when none is added: the issuer's origin plus
         * {@code /mcp}.
         */
        public Builder resource(URI resource) {
            URI r = BuilderChecks.baseUri("resource", resource);
            if (resources.contains(r)) {
                throw new IllegalArgumentException("resource " + r + " was already added");
            }
            resources.add(r);
            return this;
        }

        /** Same as {@link #resource(URI)} from a string. */
        public Builder resource(String resource) {
            return resource(BuilderChecks.uri("resource", resource));
        }

        /**
         * The scopes this server knows (default {@code mcp}); each {@linkplain BuilderChecks#scopeToken a scope
         * token}: RFC 6749 §3.3 characters without the comma, at most 128, the rule protected resources use too.
         */
        public Builder scopes(Set<String> scopes) {
            Objects.requireNonNull(scopes, "scopes");
            scopes.forEach(s -> BuilderChecks.scopeToken("scopes", s));
            this.scopes.clear();
            this.scopes.addAll(scopes);
            return this;
        }

        /** The scopes granted when a client requests none; default: all of {@link #scopes(Set)}. */
        public Builder defaultScopes(Set<String> defaultScopes) {
            this.defaultScopes = Set.copyOf(Objects.requireNonNull(defaultScopes, "defaultScopes"));
            return this;
        }

        /** Access token lifetime, 1 minute to 1 day (default 1 hour). */
        public Builder accessTokenLifetime(Duration d) {
            this.accessTokenLifetime = BuilderChecks.durationBetween("accessTokenLifetime", d, Duration.ofMinutes(1),
                    Duration.ofDays(1));
            return this;
        }

        /** Refresh token lifetime, 1 minute to 1 year (default 30 days). */
        public Builder refreshTokenLifetime(Duration d) {
            this.refreshTokenLifetime = BuilderChecks.durationBetween("refreshTokenLifetime", d, Duration.ofMinutes(1),
                    Duration.ofDays(366));
            return this;
        }

        /** Authorization code lifetime, 1 second to 10 minutes (default 60 seconds). */
        public Builder authorizationCodeLifetime(Duration d) {
            this.authorizationCodeLifetime = BuilderChecks.durationBetween("authorizationCodeLifetime", d,
                    Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * How long each signing key signs before its successor takes over, 2 to 365 days (default 90 days); see
         * docs/deployment.md for when keys are published and retired.
         */
        public Builder signingKeyRotation(Duration d) {
            this.signingKeyRotation = BuilderChecks.durationBetween("signingKeyRotation", d, Duration.ofDays(2),
                    Duration.ofDays(365));
            return this;
        }

        /**
         * How often the server purges expired entries from its stores, 1 second to 1 day, or {@link Duration#ZERO}
         * for never (default 10 minutes), on a daemon thread the server's {@code close()} stops.
         */
        public Builder cleanupInterval(Duration d) {
            Objects.requireNonNull(d, "cleanupInterval");
            this.cleanupInterval = d.isZero() ? d
                    : BuilderChecks.durationBetween("cleanupInterval", d, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /**
         * The refresh token reuse interval, 0 (off, the default) to 60 seconds: for this long after a rotation, the
         * replaced refresh token gets a new rotation instead of revoking the grant, so a client whose response was
         * lost can recover; a stolen token replayed within it is not caught at once (docs/security.md).
         */
        public Builder refreshTokenReuseInterval(Duration d) {
            Objects.requireNonNull(d, "refreshTokenReuseInterval");
            this.refreshTokenReuseInterval = d.isZero() ? d
                    : BuilderChecks.durationBetween("refreshTokenReuseInterval", d, Duration.ofSeconds(1),
                            Duration.ofSeconds(60));
            return this;
        }

        /** Endpoint paths (default {@link EndpointPaths#defaults()}). */
        public Builder paths(EndpointPaths paths) {
            this.paths = Objects.requireNonNull(paths, "paths");
            return this;
        }

        /** The clock (default {@link Clock#systemUTC()}); tests pass a fixed or movable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Checks the cross-field rules and builds. */
        public AuthorizationServerSettings build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required");
            }
            if (resources.isEmpty()) {
                resources.add(URI.create(issuer.getScheme() + "://" + issuer.getRawAuthority() + "/mcp"));
            }
            BuilderChecks.subset("defaultScopes", defaultScopes, scopes);
            return new AuthorizationServerSettings(this);
        }
    }

    /** Whether {@code host} names the local machine: {@code localhost}, 127.0.0.0/8 or {@code [::1]}. */
    public static boolean isLoopback(String host) {
        return BuilderChecks.isLoopback(host);
    }
}
