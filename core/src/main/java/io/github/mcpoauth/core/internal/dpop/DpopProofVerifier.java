package io.github.mcpoauth.core.internal.dpop;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPUtils;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.settings.DpopSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks one DPoP proof (RFC 9449 §4.3) on the injected clock: {@code typ: dpop+jwt}; an allowed asymmetric
 * {@code alg}; a public {@code jwk} of the matching type that verifies the signature; {@code htm} and {@code htu}
 * (RFC 9449 §4.3 steps 8-9, the URL without query and fragment, scheme and host case-insensitive); {@code iat}
 * no further than {@link DpopSettings#proofMaxAge()} from now; {@code ath} the hash of the presented access token
 * at a resource; a server {@code nonce} when nonces are on; and last a {@code jti} not seen within the window
 * (the replay cache forgets an entry once a proof carrying it would be too old anyway).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-4.3">RFC 9449 §4.3</a>
 */
public final class DpopProofVerifier {

    /** The JOSE {@code typ} of a proof. */
    public static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

    static final int MAX_PROOF_LENGTH = 8192;
    private static final int MAX_JTI_LENGTH = 256;
    private static final int MIN_RSA_BITS = 2048;

    /** Why a proof was refused; {@link #needsNonce()} when only a (fresh) server nonce was missing. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean needsNonce;

        Refused(String reason, boolean needsNonce) {
            super(reason, null, false, false);
            this.needsNonce = needsNonce;
        }

        /** Whether the proof lacked a valid server nonce (answer {@code use_dpop_nonce}). */
        public boolean needsNonce() {
            return needsNonce;
        }
    }

    private final DpopSettings settings;
    private final Clock clock;
    private final Optional<DpopNonces> nonces;
    private final Cache<String, Boolean> seen;

    /** A verifier for {@code settings} on {@code clock}, with its own replay cache and nonces. */
    public DpopProofVerifier(DpopSettings settings, Clock clock, Secrets secrets) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = settings.nonces() ? Optional.of(new DpopNonces(clock, settings.nonceLifetime(), secrets))
                : Optional.empty();
        this.seen = Caches.builder().ticker(ClockTicker.of(clock))
                .expireAfterWrite(settings.proofMaxAge().multipliedBy(2).plusSeconds(1))
                .maximumSize(1_000_000).build();
    }

    /** The settings checked. */
    public DpopSettings settings() {
        return settings;
    }

    /** The nonce to hand out now, when nonces are on. */
    public Optional<String> nonce() {
        return nonces.map(DpopNonces::current);
    }

    /**
     * Checks {@code proof} for a request with {@code method} to one of {@code urls}.
     *
     * @param accessToken the access token the request presents (its hash must be {@code ath}), or null at the
     *     token endpoint
     * @return the JWK SHA-256 thumbprint of the proof's key ({@code jkt}, RFC 9449 §6.1)
     * @throws Refused if the proof does not hold
     */
    public String verify(String proof, String method, Collection<URI> urls, String accessToken) throws Refused {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            throw new Refused("no usable proof", false);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException | RuntimeException e) {
            throw new Refused("not a JWT", false);
        }
        JWK key = checkHeader(jwt.getHeader());
        try {
            if (!jwt.verify(verifier(key))) {
                throw new Refused("bad signature", false);
            }
        } catch (JOSEException | RuntimeException e) {
            throw new Refused("signature not verifiable", false);
        }
        try {
            checkClaims(claims, method, urls, accessToken);
            String jkt = key.computeThumbprint().toString();
            String jti = claims.getStringClaim("jti");
            if (seen.asMap().putIfAbsent(Secrets.hash(jkt + " " + jti), Boolean.TRUE) != null) {
                throw new Refused("jti replayed", false);
            }
            return jkt;
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            throw new Refused("claim of the wrong type", false);
        }
    }

    private JWK checkHeader(JWSHeader h) throws Refused {
        if (!DPOP_JWT.equals(h.getType())) {
            throw new Refused("typ is not dpop+jwt", false);
        }
        JWSAlgorithm alg = h.getAlgorithm();
        if (!settings.algorithms().contains(alg)) {
            throw new Refused("alg not allowed", false);
        }
        JWK key = h.getJWK();
        if (key == null || key.isPrivate()) {
            throw new Refused("no public jwk", false);
        }
        if (h.getCriticalParams() != null || h.getJWKURL() != null || h.getX509CertURL() != null) {
            throw new Refused("unexpected header", false);
        }
        boolean ec = JWSAlgorithm.Family.EC.contains(alg) && key instanceof ECKey;
        boolean rsa = JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey r && r.size() >= MIN_RSA_BITS;
        boolean ed = (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg))
                && key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
        if (!ec && !rsa && !ed) {
            throw new Refused("jwk does not fit alg", false);
        }
        return key;
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519Verifier(okp); // the JDK's EdDSA, no Tink needed
        }
        return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
    }

    private void checkClaims(JWTClaimsSet c, String method, Collection<URI> urls, String accessToken)
            throws Refused, java.text.ParseException, JOSEException {
        String jti = c.getStringClaim("jti");
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw new Refused("no usable jti", false);
        }
        if (!method.equals(c.getStringClaim("htm"))) {
            throw new Refused("htm does not match", false);
        }
        String htu = c.getStringClaim("htu");
        if (htu == null || urls.stream().noneMatch(u -> sameUrl(u, htu))) {
            throw new Refused("htu does not match", false);
        }
        if (c.getIssueTime() == null) {
            throw new Refused("no iat", false);
        }
        Instant iat = c.getIssueTime().toInstant();
        Duration age = Duration.between(iat, clock.instant()).abs();
        if (age.compareTo(settings.proofMaxAge()) > 0) {
            throw new Refused("iat outside the window", false);
        }
        if (accessToken != null) {
            String ath = c.getStringClaim("ath");
            String expected = DPoPUtils.computeSHA256(new DPoPAccessToken(accessToken)).toString();
            if (ath == null || !Secrets.constantTimeEquals(ath, expected)) {
                throw new Refused("ath does not match", false);
            }
        }
        if (nonces.isPresent() && !nonces.get().accepts(c.getStringClaim("nonce"))) {
            throw new Refused("no valid nonce", true);
        }
    }

    /** RFC 9449 §4.3 step 9: query and fragment ignored, then RFC 3986 §6.2.2-3 normalisation of scheme and host. */
    static boolean sameUrl(URI expected, String htu) {
        try {
            URI u = new URI(htu);
            if (!u.isAbsolute() || u.getRawAuthority() == null) {
                return false;
            }
            return normalized(expected).equals(normalized(u));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String normalized(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        if (port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http")) {
            port = -1;
        }
        String host = u.getHost() == null ? u.getRawAuthority() : u.getHost().toLowerCase(Locale.ROOT);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return scheme + "://" + host + (port < 0 ? "" : ":" + port) + path;
    }
}
