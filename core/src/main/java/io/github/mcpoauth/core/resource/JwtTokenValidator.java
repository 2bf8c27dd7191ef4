package io.github.mcpoauth.core.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.mcpoauth.core.internal.crypto.HmacKey;
import io.github.mcpoauth.core.internal.dpop.Ed25519Verifier;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import io.github.mcpoauth.core.internal.resource.ScopeClaim;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * JWT access tokens (RFC 9068): shape and header checked first, then the Nimbus processor verifies the signature
 * with a key chosen by {@code kid} among the allowed algorithms, then the claims are checked on our clock.
 *
 * <p>Headers that name keys or key locations ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are refused
 * outright rather than ignored (RFC 8725 §3.10): a token carrying them is not one our issuers make, and refusing
 * keeps any future code path from following them. {@code crit} is refused too: we understand no extension.
 *
 * <p>Same-app tokens: with {@code macKeys} (the verifier of a resource guarded in the application of its authorization
 * server), a {@link CompactTokens compact token} (one dot) is checked with the MAC key its tag names (a reference
 * token's claims completed from its grant, {@link RevocationCheck#grantClaims}, once it verified), and a JWT whose
 * {@code alg} is exactly HS256 with the MAC key its {@code kid} names, never with a key of the JWK source; every other
 * token goes the asymmetric way, where HS* is not an allowed algorithm (RFC 8725 §3.1, §3.2). Without {@code macKeys} a
 * compact token is refused as a malformed JWS. EdDSA (Ed25519) is verified with the JDK's own provider, as Nimbus'
 * verifier needs Tink.
 */
final class JwtTokenValidator implements TokenValidator {

    private static final System.Logger LOG = System.getLogger(AccessTokenVerifier.class.getName());

    private final ProtectedResourceSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final JWKSource<SecurityContext> keys;
    /** The HS256 verifier of a {@code kid}, for same-app tokens; {@code null}: HS256 is refused like any HS*. */
    private final Function<String, Optional<JWSVerifier>> macKeys;
    /** What a reference token's grant holds: the revocation check's {@link RevocationCheck#grantClaims}. */
    private final RevocationCheck grants;

    JwtTokenValidator(ProtectedResourceSettings settings, JWKSource<SecurityContext> keys,
            Function<String, Optional<JWSVerifier>> macKeys, RevocationCheck grants) {
        this.settings = settings;
        this.keys = keys;
        this.macKeys = macKeys;
        this.grants = grants;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> {
            if (!isAccessTokenType(type)) {
                throw new BadJOSEException("typ is not at+jwt");
            }
        });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.allowedAlgorithms(), keys));
        // Claims are checked below, on the settings' clock; Nimbus' own verifier reads the system time.
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
    }

    @Override
    public AccessTokenPrincipal validate(String token) throws TokenRejected {
        if (macKeys != null && CompactTokens.isCompact(token)) {
            return principal(verifyCompact(token));
        }
        TokenShape.checkJws(token, settings.maxTokenLength());
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenRejected("not a signed JWT: " + e.getMessage());
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        boolean mac = macKeys != null && JWSAlgorithm.HS256.equals(alg);
        checkHeader(jwt.getHeader(), mac);
        JWTClaimsSet claims;
        try {
            claims = mac ? verifyMac(jwt) : isEd25519(alg) ? verifyEd25519(jwt) : processor.process(jwt, null);
        } catch (RateLimitReachedException e) {
            // The key set was fetched moments ago and this kid was not in it.
            throw new TokenRejected("unknown kid (key set refetch rate-limited)");
        } catch (KeySourceException e) {
            LOG.log(Level.WARNING, "cannot load the keys to verify an access token: {0}", e.getMessage());
            throw BearerErrors.temporarilyUnavailable();
        } catch (BadJOSEException | JOSEException e) {
            throw new TokenRejected(e.getMessage());
        }
        return principal(claims);
    }

    /** A same-app token: the MAC under the key its {@code kid} names (constant-time comparison in Nimbus). */
    private JWTClaimsSet verifyMac(SignedJWT jwt) throws JOSEException, TokenRejected {
        JWSVerifier verifier = macKeys.apply(jwt.getHeader().getKeyID()).orElse(null);
        if (verifier == null) {
            throw new TokenRejected("unknown MAC kid");
        }
        if (!jwt.verify(verifier)) {
            throw new TokenRejected("bad MAC");
        }
        return claims(jwt);
    }

    /**
     * A compact same-app token: the MAC under the key its tag names, for one of the trusted issuers (constant-time
     * comparison), then its claims (a reference token's read from its grant), checked below as a JWT's are.
     */
    private JWTClaimsSet verifyCompact(String token) throws TokenRejected {
        TokenShape.checkLength(token, settings.maxTokenLength());
        return CompactTokens.decode(token, settings.authorizationServers(), this::hmac, this::grantClaims)
                .orElseThrow(() -> new TokenRejected("bad compact token (MAC, key tag, layout or grant)"));
    }

    /** What grant {@code grantId} holds; a check that cannot answer now is a 503, never a refused token. */
    private Optional<GrantClaims> grantClaims(String grantId) {
        try {
            return grants.grantClaims(grantId);
        } catch (RuntimeException e) {
            throw BearerErrors.revocationCheckFailed(LOG, e);
        }
    }

    /**
     * The MAC key a compact token's key tag names: a verifier of {@code macKeys} that can compute the raw HMAC
     * (those of {@code MacKeys}); any other verifier checks HS256 JWTs only.
     */
    private Optional<HmacKey> hmac(String tag) {
        JWSVerifier verifier = macKeys.apply(tag).orElse(null);
        return verifier instanceof HmacKey key ? Optional.of(key) : Optional.empty();
    }

    /** The key set {@code jwks} returns as a key source: a failure to get it is a {@link KeySourceException}. */
    static JWKSource<SecurityContext> keySet(Supplier<JWKSet> jwks) {
        return (selector, context) -> {
            try {
                return selector.select(jwks.get());
            } catch (RuntimeException e) {
                throw new KeySourceException("the local key set is unavailable", e);
            }
        };
    }

    private static boolean isEd25519(JWSAlgorithm alg) {
        return JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg);
    }

    /** EdDSA with an Ed25519 key its {@code kid} names, on the JDK's provider (Nimbus' own verifier needs Tink). */
    private JWTClaimsSet verifyEd25519(SignedJWT jwt) throws JOSEException, TokenRejected {
        List<JWK> candidates = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())), null);
        for (JWK key : candidates) {
            if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())
                    && jwt.verify(new Ed25519Verifier(okp.toPublicJWK()))) {
                return claims(jwt);
            }
        }
        throw new TokenRejected(candidates.isEmpty() ? "unknown kid" : "bad signature");
    }

    private static JWTClaimsSet claims(SignedJWT jwt) throws TokenRejected {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejected("claims are not a JSON object");
        }
    }

    private void checkHeader(JWSHeader h, boolean mac) throws TokenRejected {
        if (!mac && !settings.allowedAlgorithms().contains(h.getAlgorithm())) {
            throw new TokenRejected("alg not allowed: " + h.getAlgorithm());
        }
        if (!isAccessTokenType(h.getType())) {
            throw new TokenRejected("typ is not at+jwt");
        }
        if (h.getKeyID() == null || h.getKeyID().isEmpty() || h.getKeyID().length() > 256) {
            throw new TokenRejected("no usable kid");
        }
        if (h.getJWKURL() != null || h.getX509CertURL() != null || h.getJWK() != null
                || h.getX509CertChain() != null) {
            throw new TokenRejected("key-locating header (jku, x5u, jwk or x5c)");
        }
        if (h.getCriticalParams() != null) {
            throw new TokenRejected("crit header");
        }
    }

    /** {@code at+jwt}, or {@code application/at+jwt}, case-insensitively (RFC 9068 §2.1, RFC 7515 §4.1.9). */
    static boolean isAccessTokenType(JOSEObjectType type) {
        if (type == null) {
            return false;
        }
        String t = type.getType().toLowerCase(Locale.ROOT);
        return t.equals("at+jwt") || t.equals("application/at+jwt");
    }

    private AccessTokenPrincipal principal(JWTClaimsSet c) throws TokenRejected {
        try {
            URI issuer = ClaimsChecks.issuer(settings, c.getStringClaim("iss"));
            List<String> audience = ClaimsChecks.audience(settings, c.getAudience());
            Instant exp = instant(c.getDateClaim("exp"));
            Instant iat = instant(c.getDateClaim("iat"));
            if (iat == null) {
                throw new TokenRejected("no iat");
            }
            ClaimsChecks.times(settings, exp, instant(c.getDateClaim("nbf")), iat, true);
            String subject = ClaimsChecks.identifier("sub", c.getStringClaim("sub"));
            String clientId = ClaimsChecks.identifier("client_id", c.getStringClaim("client_id"));
            String jti = ClaimsChecks.identifier("jti", c.getStringClaim("jti"));
            Set<String> scopes = ScopeClaim.parse(c.getStringClaim("scope"));
            Optional<String> gid = Optional.ofNullable(c.getStringClaim("gid"));
            return new AccessTokenPrincipal(subject, clientId, scopes, audience, issuer, exp, Optional.of(iat),
                    Optional.of(jti), gid, Confirmations.jkt(c.getJSONObjectClaim("cnf")));
        } catch (ParseException e) {
            throw new TokenRejected("claim of the wrong type: " + e.getMessage());
        }
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
