package io.github.mcpoauth.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * DPoP proofs (<a href="https://www.rfc-editor.org/rfc/rfc9449#section-4">RFC 9449 §4</a>): one P-256 key per
 * client, a fresh ES256 proof per request with {@code htm}, {@code htu} (no query or fragment), {@code iat},
 * {@code jti}, {@code ath} for resource requests, and the latest server-provided nonce (§8, §9) per endpoint, so
 * that an authorization server and an MCP server on one origin keep their own nonces.
 */
final class DpopProofs {

    private final ECKey key;
    private final Clock clock;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    DpopProofs(Clock clock) {
        this.clock = clock;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("P-256 keys are required of every JVM", e);
        }
    }

    /**
     * @param accessToken the token the request carries (for {@code ath}), or null at a token endpoint
     */
    String proof(String method, URI uri, String accessToken) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", htu(uri)).issueTime(Date.from(clock.instant()));
        nonce(uri).ifPresent(n -> claims.claim("nonce", n));
        if (accessToken != null) {
            claims.claim("ath", sha256(accessToken));
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new ClientAuthorizationException("could not sign a DPoP proof: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Remembers the nonce a server sent in {@code DPoP-Nonce} for the next proofs to it. */
    void rememberNonce(URI uri, String nonce) {
        if (nonce != null && !nonce.isBlank() && nonce.length() <= 1024) {
            nonces.put(htu(uri), nonce);
        }
    }

    private Optional<String> nonce(URI uri) {
        return Optional.ofNullable(nonces.get(htu(uri)));
    }

    static String htu(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
