package io.github.mcpoauth.benchmarks;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The resource server's hot path: verifying a bearer token on every MCP request. The budget (issue "Protect the
 * MCP endpoint"): a repeat token costs microseconds; the first sight of a token costs one ES256 verification, or,
 * for a same-app token (issue 13: HS256 under a key derived from the signing key), one HMAC.
 * {@link SigningAlgorithmBenchmarks} measures the asymmetric algorithms one by one.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmarks {

    private AccessTokenVerifier cachedVerifier;
    private AccessTokenVerifier uncachedVerifier;
    private AccessTokenVerifier sameAppVerifier;
    private AuthorizationServer sameAppServer;
    private String sameAppToken;
    private AuthorizationServer server;
    private Grant grant;
    private String token;
    private URI resource;

    /** One authorization server, one live grant, one token issued from it. */
    @Setup
    public void setUp() {
        URI issuer = URI.create("https://as.example.com");
        resource = URI.create("https://as.example.com/mcp");
        server = AuthorizationServer.builder()
                .settings(AuthorizationServerSettings.builder().issuer(issuer).resource(resource).build())
                .auditListener(AuditListener.none())
                .build();
        Instant now = server.settings().clock().instant();
        grant = new Grant("bench-grant", new ClientID("bench-client"), "alice", Set.of("mcp"), List.of(resource), now,
                Optional.empty(), now.plusSeconds(3600), false);
        server.stores().grants().save(grant);
        token = server.accessTokens().issue(grant, Set.of("mcp"), List.of(resource), now);
        ProtectedResourceSettings settings = ProtectedResourceSettings.builder().resource(resource)
                .authorizationServer(issuer).scopesSupported(List.of("mcp")).requiredScopes(List.of("mcp")).build();
        cachedVerifier = AccessTokenVerifier.builder(settings).localKeys(server.signingKeys()::publicJwks)
                .revocationCheck(server.revocationCheck()).build();
        uncachedVerifier = AccessTokenVerifier.builder(settings).localKeys(server.signingKeys()::publicJwks)
                .revocationCheck(server.revocationCheck()).cacheMaximumSize(0).build();
        cachedVerifier.verify(token);
        sameAppServer = AuthorizationServer.builder()
                .settings(AuthorizationServerSettings.builder().issuer(issuer).resource(resource).build())
                .auditListener(AuditListener.none())
                .sameAppResources(s -> List.of(resource))
                .build();
        sameAppServer.stores().grants().save(grant);
        sameAppToken = sameAppServer.accessTokens().issue(grant, Set.of("mcp"), List.of(resource), now);
        sameAppVerifier = AccessTokenVerifier.builder(settings).jwkSource(sameAppServer.signingKeys().jwkSource())
                .sameAppMacKeys(sameAppServer.accessTokens().macKeys()::verifier)
                .revocationCheck(sameAppServer.revocationCheck()).cacheMaximumSize(0).build();
        sameAppVerifier.verify(sameAppToken);
    }

    /** A token seen before: hash, cache hit, revocation check. */
    @Benchmark
    public AccessTokenPrincipal verifyRepeatToken() {
        return cachedVerifier.verify(token);
    }

    /** A token seen for the first time: parse, ES256 signature, claims, revocation check. */
    @Benchmark
    public AccessTokenPrincipal verifyNewToken() {
        return uncachedVerifier.verify(token);
    }

    /** Issuing an access token: claims and an ES256 signature. */
    @Benchmark
    public String issueAccessToken() {
        return server.accessTokens().issue(grant, Set.of("mcp"), List.of(resource),
                server.settings().clock().instant());
    }

    /** A same-app token seen for the first time: parse, HS256 MAC, claims, revocation check. */
    @Benchmark
    public AccessTokenPrincipal verifyNewSameAppToken() {
        return sameAppVerifier.verify(sameAppToken);
    }

    /** Issuing a same-app access token: claims and an HS256 MAC. */
    @Benchmark
    public String issueSameAppToken() {
        return sameAppServer.accessTokens().issue(grant, Set.of("mcp"), List.of(resource),
                sameAppServer.settings().clock().instant());
    }
}
