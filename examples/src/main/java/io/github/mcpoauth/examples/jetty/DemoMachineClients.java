package io.github.mcpoauth.examples.jetty;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.MachineClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The example's machine clients and demo issuers, made fresh at every start so that a user can try each machine
 * flow against it (docs/machine-clients.md, docs/enterprise-managed-authorization.md):
 * <ul>
 *   <li>{@value #SECRET_CLIENT}: {@code client_credentials} with {@code client_secret_basic};</li>
 *   <li>{@value #KEY_CLIENT}: {@code client_credentials} with {@code private_key_jwt} (ES256; its private key is
 *       printed at start, as a JWK);</li>
 *   <li>a demo workload issuer ({@code <issuer>/demo-workload}) and a demo enterprise identity provider
 *       ({@code <issuer>/demo-idp}), whose keys live only in this process: {@link #workloadAssertion} and
 *       {@link #idJag} mint what a real one would issue, for the JWT bearer grant.</li>
 * </ul>
 * Nothing here is for production: a real deployment registers its clients through {@link MachineClients} from an
 * administration tool and trusts its real workload and enterprise issuers.
 */
public final class DemoMachineClients {

    public static final String SECRET_CLIENT = "demo-machine";
    public static final String KEY_CLIENT = "demo-machine-key";

    private final ECKey clientKey = newKey();
    private final ECKey workloadKey = newKey();
    private final ECKey idpKey = newKey();
    private final AtomicReference<String> secret = new AtomicReference<>();
    private final AtomicReference<URI> issuer = new AtomicReference<>();
    private final Clock clock;

    private DemoMachineClients(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Fresh keys, assertions timed by {@code clock}; the secret is made when {@link #register} runs. */
    public static DemoMachineClients generate(Clock clock) {
        return new DemoMachineClients(clock);
    }

    /** Trusts the demo workload issuer and enterprise identity provider of {@code serverIssuer}. */
    void trustDemoIssuers(AuthorizationServer.Builder server, URI serverIssuer) {
        issuer.set(serverIssuer);
        server.workloadIssuer(workloadIssuer(), new JWKSet(workloadKey.toPublicJWK()),
                claims -> Optional.ofNullable(claims.getSubject()).map(s -> "workload:" + s));
        server.enterpriseIdentityProvider(enterpriseIssuer(), new JWKSet(idpKey.toPublicJWK()),
                claims -> Optional.ofNullable(claims.getSubject()));
    }

    /** Registers the two machine clients. */
    void register(MachineClients admin) {
        secret.set(admin.registerWithSecret(new ClientID(SECRET_CLIENT), "Demo machine client", Set.of(),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC));
        admin.registerWithKeys(new ClientID(KEY_CLIENT), "Demo machine client (private_key_jwt)", Set.of(),
                new JWKSet(clientKey.toPublicJWK()));
    }

    /** The secret of {@value #SECRET_CLIENT}. */
    public String secret() {
        return secret.get();
    }

    /** The private signing key of {@value #KEY_CLIENT} (ES256). */
    public ECKey clientKey() {
        return clientKey;
    }

    /** The demo workload issuer's identifier. */
    public String workloadIssuer() {
        return issuer.get() + "/demo-workload";
    }

    /** The demo enterprise identity provider's identifier. */
    public String enterpriseIssuer() {
        return issuer.get() + "/demo-idp";
    }

    /** A workload identity token for {@code subject}, for the JWT bearer grant, valid for five minutes. */
    public String workloadAssertion(String subject) {
        JWTClaimsSet claims = base(workloadIssuer(), subject).build();
        return sign(workloadKey, null, claims);
    }

    /** An ID-JAG for {@code user}, issued to {@code clientId} for {@code resource} and {@code scope}. */
    public String idJag(String user, String clientId, String resource, String scope) {
        JWTClaimsSet claims = base(enterpriseIssuer(), user).claim("client_id", clientId)
                .claim("resource", resource).claim("scope", scope).build();
        return sign(idpKey, new JOSEObjectType("oauth-id-jag+jwt"), claims);
    }

    /** What {@code main} prints: how to try each flow. */
    public String describe() {
        return "  machine client:      " + SECRET_CLIENT + " / " + secret() + " (client_secret_basic)\n"
                + "  private_key_jwt:     " + KEY_CLIENT + ", ES256 private key (JWK): " + clientKey.toJSONString()
                + "\n  workload issuer:     " + workloadIssuer() + " (demo, keys in this process only)\n"
                + "  enterprise IdP:      " + enterpriseIssuer() + " (demo, keys in this process only)";
    }

    private JWTClaimsSet.Builder base(String iss, String subject) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(iss).subject(subject).audience(issuer.get().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(ECKey key, JOSEObjectType type, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type)
                .build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
