package io.github.mcpoauth.core.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Access tokens as the authorization server makes them (RFC 9068, ES256), built with Nimbus, to tweak per test. */
final class TestTokens {

    static final String RESOURCE = "https://rs.example.com/mcp";
    static final String ISSUER = "https://as.example.com";

    final Clock clock;
    final ECKey key;

    TestTokens(Clock clock) {
        this.clock = clock;
        this.key = newKey("key-1");
    }

    static ECKey newKey(String kid) {
        return newKey(kid, Curve.P_256);
    }

    static ECKey newKey(String kid, Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProtectedResourceSettings.Builder settings(Clock clock) {
        return ProtectedResourceSettings.builder()
                .resource(RESOURCE)
                .authorizationServer(ISSUER)
                .scopesSupported(List.of("mcp", "tools", "admin"))
                .clock(clock);
    }

    JWKSet publicJwks() {
        return new JWKSet(key.toPublicJWK());
    }

    JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID());
    }

    JWTClaimsSet.Builder claims() {
        Date now = Date.from(clock.instant());
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience(List.of(RESOURCE))
                .claim("client_id", "client-1")
                .claim("scope", "mcp tools")
                .issueTime(now)
                .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("gid", "grant-1");
    }

    String token() {
        return sign(header().build(), claims().build(), key);
    }

    String token(JWTClaimsSet claims) {
        return sign(header().build(), claims, key);
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, ECKey key) {
        return sign(header, claims.toPayload().toString(), key);
    }

    /** Signs a raw payload, which need not be a valid claims set. */
    static String sign(JWSHeader header, String payload, ECKey key) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
