package io.github.mcpoauth.spring;

import io.github.mcpoauth.servlet.limit.RateLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code mcp.oauth.*} properties. Only {@code mcp.oauth.issuer} is required; every other one has the library's
 * default. Values are checked when the application starts: a bad one stops it with a message naming the property
 * (see docs/spring-boot.md for the full list and examples).
 *
 * @param enabled whether the starter configures anything at all (default true)
 * @param issuer the authorization server's issuer URL, e.g. {@code https://mcp.example.com} (RFC 8414 §2)
 * @param resources the protected resources (MCP endpoint URLs) tokens are bound to (RFC 8707); default
 *     {@code <issuer origin>/mcp}
 * @param scopes the scopes the server knows (default {@code mcp})
 * @param defaultScopes the scopes granted when a client asks for none (default: all of {@code scopes})
 * @param requiredScopes the scopes every request to a protected resource needs (default: {@code defaultScopes})
 * @param accessTokenLifetime access token lifetime (default 1h)
 * @param refreshTokenLifetime refresh token lifetime (default 30d)
 * @param authorizationCodeLifetime authorization code lifetime (default 60s)
 * @param clientIdMetadataDocuments whether https client ids (client ID metadata documents) are accepted
 * @param rootAliases whether {@code /authorize}, {@code /token}, {@code /register} are mounted at the root too
 *     (default false: opt-in, since the servlet context cannot see Spring MVC controllers at those paths)
 * @param wellKnownAtRoot under a context path: the proxy routes the host's {@code /.well-known/...} paths into the
 *     application (without it the application refuses to start there; see docs/deployment.md)
 * @param signingKeyRotation how long each signing key signs (default 90 days)
 * @param signingAlgorithm what tokens for other applications' resources are signed with: {@code ES256} (default),
 *     {@code RS256}, {@code PS256} or {@code EdDSA}
 * @param sameAppTokens whether tokens for the resources guarded in this application are compact MAC'd tokens rather
 *     than signed JWTs (default true; see docs/configuration.md)
 * @param cors whether the protected resources answer browser CORS requests
 * @param protectResources whether the resources on the issuer's origin are guarded by the bearer filter
 * @param maxRequestBytes the largest body the JSON endpoints read (default 64KB)
 * @param storage where clients, grants and keys live
 * @param rateLimits rate limits of the endpoints
 * @param security the Spring Security integration
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-2">RFC 8414 §2</a>
 */
@ConfigurationProperties(prefix = McpOAuthProperties.PREFIX)
public record McpOAuthProperties(
        @DefaultValue("true") boolean enabled,
        String issuer,
        List<String> resources,
        Set<String> scopes,
        Set<String> defaultScopes,
        Set<String> requiredScopes,
        Duration accessTokenLifetime,
        Duration refreshTokenLifetime,
        Duration authorizationCodeLifetime,
        @DefaultValue("true") boolean clientIdMetadataDocuments,
        @DefaultValue("false") boolean rootAliases,
        @DefaultValue("false") boolean wellKnownAtRoot,
        Duration signingKeyRotation,
        String signingAlgorithm,
        @DefaultValue("true") boolean sameAppTokens,
        @DefaultValue("true") boolean cors,
        @DefaultValue("true") boolean protectResources,
        DataSize maxRequestBytes,
        @DefaultValue Storage storage,
        @DefaultValue RateLimitProperties rateLimits,
        @DefaultValue Security security) {

    /** The prefix of every property. */
    public static final String PREFIX = "mcp.oauth";

    /** Copies the collections. */
    public McpOAuthProperties {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** Where the stores live. */
    public enum StorageType {
        /** In memory (Caffeine): lost on restart, one node only. */
        MEMORY,
        /** In the application's {@code DataSource} (PostgreSQL), tables created or upgraded at start. */
        JDBC
    }

    /**
     * Storage options.
     *
     * @param type {@code memory} (default) or {@code jdbc}
     * @param schema the database schema of the tables (default: the connection's search path)
     * @param tablePrefix the table name prefix (default {@code mcp_oauth_})
     * @param migrate whether to create or upgrade the tables at start (default true)
     * @param queryTimeout the query timeout (default 5s)
     * @param cleanup the purge of expired rows
     */
    public record Storage(
            @DefaultValue("memory") StorageType type,
            String schema,
            String tablePrefix,
            @DefaultValue("true") boolean migrate,
            Duration queryTimeout,
            @DefaultValue Cleanup cleanup) {
    }

    /**
     * The purge of expired codes, grants and keys from the JDBC tables (in-memory stores expire by themselves).
     *
     * @param enabled whether to run it (default true)
     * @param interval the time between the end of one run and the start of the next (default 1h)
     * @param initialDelay the time before the first run (default 1m)
     */
    public record Cleanup(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1h") Duration interval,
            @DefaultValue("1m") Duration initialDelay) {
    }

    /**
     * Rate limits.
     *
     * @param enabled whether the endpoints are rate limited at all (default true, with the library's defaults)
     * @param limits overrides: endpoint ({@code registration}, {@code token}, {@code revocation},
     *     {@code introspection}, {@code authorization}) to key ({@code address}, {@code client}) to limit
     * @param trustedProxies reverse proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed
     */
    public record RateLimitProperties(
            @DefaultValue("true") boolean enabled,
            Map<RateLimits.Endpoint, Map<RateLimits.Key, Limit>> limits,
            List<String> trustedProxies) {

        /** Copies the collections. */
        public RateLimitProperties {
            limits = limits == null ? Map.of() : Map.copyOf(limits);
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        }
    }

    /**
     * One rate limit: {@code requests} per {@code per}.
     *
     * @param requests how many requests
     * @param per in how long
     */
    public record Limit(int requests, Duration per) {
    }

    /**
     * The Spring Security integration (used when Spring Security is on the classpath).
     *
     * @param enabled whether to add the filter chain for mcp-oauth's endpoints and sign users in through the
     *     application's login (default true)
     * @param loginPage where a user who is not signed in is sent from the authorization endpoint: a path in
     *     this application or an absolute URL (default {@code /login}, Spring Security's form login)
     */
    public record Security(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("/login") String loginPage) {
    }
}
