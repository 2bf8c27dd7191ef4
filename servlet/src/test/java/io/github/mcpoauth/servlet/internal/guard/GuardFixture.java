package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The same-application setup: an in-memory store, the authorization server's {@link SigningKeys}, tokens signed
 * with its current key as the token endpoint would (RFC 9068), and a verifier on its public keys with the grant
 * revocation check.
 */
final class GuardFixture {

    static final String ISSUER = "http://localhost:9000";

    final Clock clock = Clock.systemUTC();
    final Stores stores = InMemoryStores.create(clock);
    final SigningKeys keys = SigningKeys.create(stores.keys(), clock, Duration.ofHours(1));
    final ProtectedResourceSettings settings;
    final AccessTokenVerifier verifier;

    GuardFixture(String resource) {
        this.settings = ProtectedResourceSettings.builder()
                .resource(resource)
                .authorizationServer(ISSUER)
                .scopesSupported(List.of("mcp", "tools", "admin"))
                .requiredScopes(List.of("mcp"))
                .resourceName("Test MCP server")
                .clock(clock)
                .build();
        this.verifier = AccessTokenVerifier.builder(settings)
                .localKeys(keys::publicJwks)
                .revocationCheck(new GrantRevocationCheck(stores.grants()))
                .build();
    }

    /** Saves an active grant for alice and client-1. */
    void grant(String grantId) {
        Instant now = clock.instant();
        stores.grants().save(new Grant(grantId, new ClientID("client-1"), "alice", Set.of("mcp", "tools", "admin"),
                List.of(settings.resource()), now, Optional.empty(), now.plus(Duration.ofDays(1)), false));
    }

    JWTClaimsSet.Builder claims(String scope, String grantId) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience(settings.resource().toString())
                .claim("client_id", "client-1")
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("gid", grantId);
    }

    /** A token for alice with {@code scope}, in grant {@code grantId} (saved if new). */
    String token(String scope, String grantId) {
        if (stores.grants().findById(grantId).isEmpty()) {
            grant(grantId);
        }
        return sign(claims(scope, grantId).build());
    }

    String sign(JWTClaimsSet claims) {
        ECKey key = keys.currentKey().toECKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    URI resource() {
        return settings.resource();
    }
}
