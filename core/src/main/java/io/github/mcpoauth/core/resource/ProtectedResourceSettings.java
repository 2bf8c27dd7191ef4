package io.github.mcpoauth.core.resource;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.settings.DpopSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a protected resource (an MCP endpoint) needs to know about itself to accept access tokens: its
 * canonical URI, the authorization servers it trusts, its scopes, and the limits of verification. Immutable;
 * built with {@link #builder()}, which fails fast naming the bad field.
 *
 * <p>The canonical URI is what tokens must carry in {@code aud} (RFC 8707 §2, RFC 9068 §4) and what the
 * metadata document names as {@code resource} (RFC 9728 §2); its metadata URL is derived from it by inserting
 * {@code /.well-known/oauth-protected-resource} between host and path (RFC 9728 §3.1).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-2">RFC 9728 §2 (metadata)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2 (resource)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4 (validating JWT access tokens)</a>
 */
public final class ProtectedResourceSettings {

    /** The well-known path segment of RFC 9728 §3. */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final URI resource;
    private final List<URI> authorizationServers;
    private final Set<String> scopesSupported;
    private final Set<String> requiredScopes;
    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final Duration clockSkew;
    private final int maxTokenLength;
    private final Clock clock;
    private final Optional<String> resourceName;
    private final Optional<URI> resourceDocumentation;
    private final URI resourceMetadataUrl;
    private final Optional<DpopSettings> dpop;
    private final Map<String, Set<String>> impliedScopes;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;

    private ProtectedResourceSettings(Builder b) {
        this.resource = b.resource;
        this.authorizationServers = List.copyOf(b.authorizationServers);
        // offline_access is the authorization server's business (SEP-2207): never in this document or a challenge
        this.requiredScopes = ordered(withoutOfflineAccess(b.requiredScopes));
        this.scopesSupported = ordered(withoutOfflineAccess(b.scopesSupported == null ? b.requiredScopes
                : b.scopesSupported));
        this.impliedScopes = Map.copyOf(b.impliedScopes);
        this.allowedAlgorithms = ordered(b.allowedAlgorithms);
        this.clockSkew = b.clockSkew;
        this.maxTokenLength = b.maxTokenLength;
        this.clock = b.clock;
        this.resourceName = Optional.ofNullable(b.resourceName);
        this.resourceDocumentation = Optional.ofNullable(b.resourceDocumentation);
        this.resourceMetadataUrl = b.resourceMetadataUrl != null ? b.resourceMetadataUrl : wellKnownUrl(b.resource);
        this.dpop = Optional.ofNullable(b.dpop);
        this.allowedHosts = Set.copyOf(b.allowedHosts);
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    }

    /**
     * Whether scopes {@code held} grant every one of {@code needed}, counting the scopes each held one implies
     * ({@link Builder#impliedScopes}, e.g. {@code mcp:write} implying {@code mcp:read}), transitively.
     */
    public boolean grants(Collection<String> held, Collection<String> needed) {
        Set<String> all = new LinkedHashSet<>(held);
        for (List<String> todo = new ArrayList<>(held); !todo.isEmpty(); ) {
            for (String implied : impliedScopes.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
                if (all.add(implied)) {
                    todo.add(implied);
                }
            }
        }
        return all.containsAll(needed);
    }

    /** DPoP (RFC 9449) at the guard, if on: {@code Authorization: DPoP} with a proof, bound tokens never as Bearer. */
    public Optional<DpopSettings> dpop() {
        return dpop;
    }

    /**
     * The {@code Host} values (host, or host:port, lower case) the guard accepts (DNS rebinding defence): those of
     * the resource and its authorization servers, plus any {@link Builder#allowedHosts added}.
     */
    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * The {@code Origin} values the guard accepts besides none at all: the origins of the resource and its
     * authorization servers, plus any {@link Builder#allowedOrigins added}.
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** A new builder with the defaults documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** This resource's canonical URI (RFC 8707 §2): the value tokens must carry in {@code aud}. */
    public URI resource() {
        return resource;
    }

    /** The issuers of the authorization servers whose tokens are accepted (RFC 9728 §2), never empty. */
    public List<URI> authorizationServers() {
        return authorizationServers;
    }

    /** The scopes advertised in the metadata ({@code scopes_supported}); may be empty. */
    public Set<String> scopesSupported() {
        return scopesSupported;
    }

    /** The scopes every request to this resource needs, whatever it does; may be empty. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** The JWS algorithms accepted on access tokens (asymmetric only; default ES256). */
    public Set<JWSAlgorithm> allowedAlgorithms() {
        return allowedAlgorithms;
    }

    /** The clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (default 60 seconds). */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** The longest token accepted, in characters (default 8192); longer ones are refused before any parsing. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** The clock expiry is measured with. */
    public Clock clock() {
        return clock;
    }

    /** The human-readable name of the resource ({@code resource_name}, RFC 9728 §2), if any. */
    public Optional<String> resourceName() {
        return resourceName;
    }

    /** A page documenting the resource ({@code resource_documentation}, RFC 9728 §2), if any. */
    public Optional<URI> resourceDocumentation() {
        return resourceDocumentation;
    }

    /**
     * The URL of this resource's metadata document: by default the RFC 9728 §3.1 well-known URL, e.g.
     * {@code https://example.com/.well-known/oauth-protected-resource/mcp} for {@code https://example.com/mcp}.
     * It is what the {@code resource_metadata} parameter of every challenge points to (RFC 9728 §5.1).
     */
    public URI resourceMetadataUrl() {
        return resourceMetadataUrl;
    }

    /**
     * Whether {@code scope} is a scope token this library accepts: RFC 6749 §3.3 characters without the comma, at
     * most 128 ({@link BuilderChecks#isScopeToken}, the rule the authorization server's settings use too).
     */
    public static boolean isValidScope(String scope) {
        return BuilderChecks.isScopeToken(scope);
    }

    /** The RFC 9728 §3.1 well-known metadata URL of {@code resource}. */
    static URI wellKnownUrl(URI resource) {
        String path = resource.getRawPath() == null ? "" : resource.getRawPath();
        return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + WELL_KNOWN + path);
    }

    @Override
    public String toString() {
        return "ProtectedResourceSettings[resource=" + resource + ", authorizationServers=" + authorizationServers
                + ", scopesSupported=" + scopesSupported + ", requiredScopes=" + requiredScopes
                + ", allowedAlgorithms=" + allowedAlgorithms + ", clockSkew=" + clockSkew + ", maxTokenLength="
                + maxTokenLength + "]";
    }

    private static <T> Set<T> ordered(Collection<T> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    /** Builds {@link ProtectedResourceSettings}; every setter checks its argument at once. */
    public static final class Builder {
        private URI resource;
        private final List<URI> authorizationServers = new ArrayList<>();
        private Set<String> scopesSupported;
        private Set<String> requiredScopes = new LinkedHashSet<>();
        private Set<JWSAlgorithm> allowedAlgorithms = new LinkedHashSet<>(List.of(JWSAlgorithm.ES256));
        private Duration clockSkew = Duration.ofSeconds(60);
        private int maxTokenLength = 8192;
        private Clock clock = Clock.systemUTC();
        private String resourceName;
        private URI resourceDocumentation;
        private URI resourceMetadataUrl;
        private DpopSettings dpop;
        private final Map<String, Set<String>> impliedScopes = new java.util.HashMap<>();
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * The resource's canonical URI (required): the URL of the MCP endpoint as clients reach it, e.g.
         * {@code https://example.com/mcp}; {@code https} (or {@code http} on a loopback host), no query, no
         * fragment, no trailing slash (RFC 8707 §2, RFC 9728 §1.2).
         */
        public Builder resource(URI resource) {
            if (this.resource != null) {
                throw new IllegalStateException("resource was already set to " + this.resource);
            }
            this.resource = BuilderChecks.baseUri("resource", resource);
            return this;
        }

        /** Same as {@link #resource(URI)} from a string. */
        public Builder resource(String resource) {
            return resource(BuilderChecks.uri("resource", resource));
        }

        /**
         * Adds a trusted authorization server by its issuer identifier (at least one required): tokens must carry
         * exactly this string in {@code iss} (RFC 9068 §4, RFC 8414 §2).
         */
        public Builder authorizationServer(URI issuer) {
            URI i = BuilderChecks.baseUri("authorizationServer", issuer);
            if (authorizationServers.contains(i)) {
                throw new IllegalArgumentException("authorizationServer " + i + " was already added");
            }
            authorizationServers.add(i);
            return this;
        }

        /** Same as {@link #authorizationServer(URI)} from a string. */
        public Builder authorizationServer(String issuer) {
            return authorizationServer(BuilderChecks.uri("authorizationServer", issuer));
        }

        /** The scopes advertised in the metadata (default: the {@link #requiredScopes required scopes}). */
        public Builder scopesSupported(Collection<String> scopes) {
            this.scopesSupported = checkScopes("scopesSupported", scopes);
            return this;
        }

        /** The scopes every request needs (default none): a valid token lacking one gets 403 insufficient_scope. */
        public Builder requiredScopes(Collection<String> scopes) {
            this.requiredScopes = checkScopes("requiredScopes", scopes);
            return this;
        }

        /**
         * The accepted JWS algorithms (default {@code [ES256]}): asymmetric only. {@code none} and the HMAC
         * algorithms are refused, so that a public key can never be used as a shared secret (RFC 8725 §3.1,
         * §3.2).
         */
        public Builder allowedAlgorithms(Collection<JWSAlgorithm> algorithms) {
            Objects.requireNonNull(algorithms, "allowedAlgorithms");
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("allowedAlgorithms must not be empty");
            }
            for (JWSAlgorithm a : algorithms) {
                if (a == null || !(JWSAlgorithm.Family.EC.contains(a) || JWSAlgorithm.Family.RSA.contains(a)
                        || JWSAlgorithm.Family.ED.contains(a))) {
                    throw new IllegalArgumentException("allowedAlgorithms: only asymmetric signature algorithms "
                            + "(ES*, RS*, PS*, EdDSA) are accepted, was " + a);
                }
            }
            this.allowedAlgorithms = new LinkedHashSet<>(algorithms);
            return this;
        }

        /** The tolerated clock skew on {@code exp}, {@code nbf} and {@code iat}, 0 to 5 minutes (default 60 s). */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = BuilderChecks.durationBetween("clockSkew", skew, Duration.ZERO, Duration.ofMinutes(5));
            return this;
        }

        /** The longest accepted token in characters, 256 to 65536 (default 8192). */
        public Builder maxTokenLength(int length) {
            this.maxTokenLength = BuilderChecks.intBetween("maxTokenLength", length, 256, 65_536);
            return this;
        }

        /** The clock (default {@link Clock#systemUTC()}); tests pass a fixed or movable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The human-readable name published as {@code resource_name} (optional, at most 200 characters). */
        public Builder resourceName(String name) {
            Objects.requireNonNull(name, "resourceName");
            if (name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("resourceName must be 1 to 200 printable characters");
            }
            this.resourceName = name;
            return this;
        }

        /**
         * A documentation page published as {@code resource_documentation} (optional): an https URL with a host
         * and no user info, or http on a loopback host ({@link BuilderChecks#httpUrl}).
         */
        public Builder resourceDocumentation(URI documentation) {
            this.resourceDocumentation = BuilderChecks.httpUrl("resourceDocumentation", documentation);
            return this;
        }

        /**
         * Overrides the metadata URL announced in challenges (default: the RFC 9728 §3.1 well-known URL derived
         * from {@link #resource(URI)}); for deployments that serve the document elsewhere.
         */
        public Builder resourceMetadataUrl(URI url) {
            this.resourceMetadataUrl = BuilderChecks.baseUri("resourceMetadataUrl", url);
            return this;
        }

        /** Declares that a token granting {@code scope} also grants {@code implied} (e.g. write implies read). */
        public Builder impliedScopes(String scope, Collection<String> implied) {
            BuilderChecks.scopeToken("impliedScopes", scope);
            impliedScopes.computeIfAbsent(scope, k -> new LinkedHashSet<>())
                    .addAll(checkScopes("impliedScopes", implied));
            return this;
        }

        /** DPoP at the guard (default: off, bearer tokens only; null turns it off). */
        public Builder dpop(DpopSettings dpop) {
            this.dpop = dpop;
            return this;
        }

        /** More {@code Host} values to accept ({@code host} or {@code host:port}), e.g. a proxy's public name. */
        public Builder allowedHosts(Collection<String> hosts) {
            Objects.requireNonNull(hosts, "allowedHosts").forEach(h -> this.allowedHosts.add(
                    Objects.requireNonNull(h, "allowedHosts holds a null").toLowerCase(java.util.Locale.ROOT)));
            return this;
        }

        /** More {@code Origin} values to accept ({@code scheme://host[:port]}), e.g. a browser client's page. */
        public Builder allowedOrigins(Collection<String> origins) {
            for (String o : Objects.requireNonNull(origins, "allowedOrigins")) {
                URI u = URI.create(Objects.requireNonNull(o, "allowedOrigins holds a null"));
                if (u.getScheme() == null || u.getRawAuthority() == null || u.getRawPath() != null
                        && !u.getRawPath().isEmpty()) {
                    throw new IllegalArgumentException("allowedOrigins: not an origin: " + o);
                }
                this.allowedOrigins.add(o.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /** Checks the cross-field rules and builds. */
        public ProtectedResourceSettings build() {
            if (resource == null) {
                throw new IllegalStateException("resource is required");
            }
            if (authorizationServers.isEmpty()) {
                throw new IllegalStateException("authorizationServer is required (at least one)");
            }
            if (scopesSupported != null && !scopesSupported.containsAll(requiredScopes)) {
                throw new IllegalStateException("requiredScopes " + requiredScopes
                        + " must be a subset of scopesSupported " + scopesSupported);
            }
            for (URI u : java.util.stream.Stream.concat(java.util.stream.Stream.of(resource),
                    authorizationServers.stream()).toList()) {
                allowedHosts.add(u.getRawAuthority().toLowerCase(java.util.Locale.ROOT));
                allowedOrigins.add((u.getScheme() + "://" + u.getRawAuthority()).toLowerCase(java.util.Locale.ROOT));
            }
            return new ProtectedResourceSettings(this);
        }

        private static Set<String> checkScopes(String field, Collection<String> scopes) {
            Objects.requireNonNull(scopes, field);
            scopes.forEach(s -> BuilderChecks.scopeToken(field, s));
            return new LinkedHashSet<>(scopes);
        }
    }

    private static Collection<String> withoutOfflineAccess(Collection<String> scopes) {
        return scopes.stream().filter(x -> !"offline_access".equals(x)).toList();
    }
}
