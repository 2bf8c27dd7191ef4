package io.github.mcpoauth.spring;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Maps {@link McpOAuthProperties} onto the library's builders. Every builder call is wrapped so a refused value
 * becomes an {@link InvalidMcpOAuthPropertyException} naming the property it came from.
 */
final class PropertiesMapper {

    private static final String P = McpOAuthProperties.PREFIX + ".";

    private PropertiesMapper() {
    }

    static AuthorizationServerSettings settings(McpOAuthProperties p, Clock clock) {
        AuthorizationServerSettings.Builder b = AuthorizationServerSettings.builder().clock(clock);
        if (p.issuer() == null || p.issuer().isBlank()) {
            throw new InvalidMcpOAuthPropertyException(P + "issuer", "is required: the public base URL of this "
                    + "application, e.g. https://mcp.example.com (http only on localhost)", null);
        }
        apply("issuer", () -> b.issuer(p.issuer().trim()));
        for (int i = 0; i < p.resources().size(); i++) {
            String r = p.resources().get(i);
            apply("resources[" + i + "]", () -> b.resource(r == null ? null : r.trim()));
        }
        if (p.scopes() != null) {
            apply("scopes", () -> b.scopes(p.scopes()));
        }
        if (p.defaultScopes() != null) {
            apply("default-scopes", () -> b.defaultScopes(p.defaultScopes()));
        }
        if (p.accessTokenLifetime() != null) {
            apply("access-token-lifetime", () -> b.accessTokenLifetime(p.accessTokenLifetime()));
        }
        if (p.refreshTokenLifetime() != null) {
            apply("refresh-token-lifetime", () -> b.refreshTokenLifetime(p.refreshTokenLifetime()));
        }
        if (p.authorizationCodeLifetime() != null) {
            apply("authorization-code-lifetime", () -> b.authorizationCodeLifetime(p.authorizationCodeLifetime()));
        }
        if (p.signingKeyRotation() != null) {
            apply("signing-key-rotation", () -> b.signingKeyRotation(p.signingKeyRotation()));
        }
        if (p.signingAlgorithm() != null) {
            apply("signing-algorithm", () -> b.signingAlgorithm(JWSAlgorithm.parse(p.signingAlgorithm().trim())));
        }
        b.sameAppTokens(p.sameAppTokens());
        return apply("default-scopes", b::build);
    }

    /** The options of {@link McpOAuth.Builder} that come from properties. */
    static void configure(McpOAuthProperties p, McpOAuth.Builder b) {
        b.clientIdMetadataDocuments(p.clientIdMetadataDocuments())
                .rootAliases(p.rootAliases())
                .wellKnownAtRoot(p.wellKnownAtRoot())
                .cors(p.cors())
                .protectResources(p.protectResources());
        if (p.requiredScopes() != null) {
            apply("required-scopes", () -> b.requiredScopes(p.requiredScopes()));
        }
        if (p.maxRequestBytes() != null) {
            apply("max-request-bytes", () -> b.maxRequestBytes(p.maxRequestBytes().toBytes()));
        }
        b.rateLimits(rateLimits(p.rateLimits()));
        if (!p.rateLimits().trustedProxies().isEmpty()) {
            apply("rate-limits.trusted-proxies",
                    () -> b.trustedProxies(p.rateLimits().trustedProxies().toArray(String[]::new)));
        }
    }

    static RateLimits rateLimits(McpOAuthProperties.RateLimitProperties p) {
        if (!p.enabled()) {
            return RateLimits.none();
        }
        RateLimits limits = RateLimits.defaults();
        for (Map.Entry<RateLimits.Endpoint, Map<RateLimits.Key, McpOAuthProperties.Limit>> e : p.limits().entrySet()) {
            for (Map.Entry<RateLimits.Key, McpOAuthProperties.Limit> k : e.getValue().entrySet()) {
                String name = "rate-limits.limits." + e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "."
                        + k.getKey().name().toLowerCase(java.util.Locale.ROOT);
                McpOAuthProperties.Limit l = k.getValue();
                if (l.per() == null) {
                    throw new InvalidMcpOAuthPropertyException(P + name + ".per", "is required (e.g. 1m, 1h)", null);
                }
                RateLimits current = limits;
                limits = apply(name, () -> current.with(e.getKey(), k.getKey(), RateLimit.of(l.requests(), l.per())));
            }
        }
        return limits;
    }

    static JdbcStores jdbcStores(McpOAuthProperties.Storage s, DataSource dataSource, Clock clock) {
        JdbcStores.Builder b = JdbcStores.newBuilder(dataSource, clock);
        if (s.schema() != null) {
            apply("storage.schema", () -> b.schema(s.schema()));
        }
        if (s.tablePrefix() != null) {
            apply("storage.table-prefix", () -> b.tablePrefix(s.tablePrefix()));
        }
        if (s.queryTimeout() != null) {
            apply("storage.query-timeout", () -> b.queryTimeout(s.queryTimeout()));
        }
        return b.build();
    }

    private static void apply(String property, Runnable call) {
        apply(property, () -> {
            call.run();
            return null;
        });
    }

    private static <T> T apply(String property, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new InvalidMcpOAuthPropertyException(P + property, String.valueOf(e.getMessage()), e);
        }
    }
}
