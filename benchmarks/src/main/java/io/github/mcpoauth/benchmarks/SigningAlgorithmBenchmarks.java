package io.github.mcpoauth.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each JWT signing algorithm ({@code AuthorizationServerSettings.signingAlgorithm}) costs: issuing a token
 * (one signature) and a resource server's first sight of it (one verification against the JWK Set, no cache).
 * Recorded in docs/performance.md.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SigningAlgorithmBenchmarks}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningAlgorithmBenchmarks {

    /** The algorithm under test. */
    @Param({"ES256", "RS256", "PS256", "EdDSA"})
    public String algorithm;

    private AuthorizationServer server;
    private AccessTokenVerifier verifier;
    private Grant grant;
    private String token;
    private URI resource;

    /** One authorization server signing with {@link #algorithm}, one live grant, one token issued from it. */
    @Setup
    public void setUp() {
        URI issuer = URI.create("https://as.example.com");
        resource = URI.create("https://rs.example.com/mcp");
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        server = AuthorizationServer.builder()
                .settings(AuthorizationServerSettings.builder().issuer(issuer).resource(resource)
                        .signingAlgorithm(alg).build())
                .auditListener(AuditListener.none())
                .build();
        Instant now = server.settings().clock().instant();
        grant = new Grant("bench-grant", new ClientID("bench-client"), "alice", Set.of("mcp"), List.of(resource), now,
                Optional.empty(), now.plusSeconds(3600), false);
        server.stores().grants().save(grant);
        token = server.accessTokens().issue(grant, Set.of("mcp"), List.of(resource), now);
        ProtectedResourceSettings settings = ProtectedResourceSettings.builder().resource(resource)
                .authorizationServer(issuer).scopesSupported(List.of("mcp")).requiredScopes(List.of("mcp"))
                .allowedAlgorithms(List.of(alg)).build();
        verifier = AccessTokenVerifier.builder(settings).jwkSource(server.signingKeys().jwkSource())
                .revocationCheck(server.revocationCheck()).cacheMaximumSize(0).build();
        verifier.verify(token);
    }

    /** Issuing a token for another application's resource: claims and one signature. */
    @Benchmark
    public String sign() {
        return server.accessTokens().issue(grant, Set.of("mcp"), List.of(resource),
                server.settings().clock().instant());
    }

    /** A resource server's first sight of the token: parse, one signature verification, claims, revocation. */
    @Benchmark
    public AccessTokenPrincipal verify() {
        return verifier.verify(token);
    }
}
