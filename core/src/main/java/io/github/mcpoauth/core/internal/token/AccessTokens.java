package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.keys.KeyMaterial;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.StoreException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Issues and reads back the server's JWT access tokens (RFC 9068): header {@code typ: at+jwt} and the {@code kid}
 * of the current key; claims {@code iss}, {@code sub}, {@code aud} (the resources, RFC 8707), {@code client_id},
 * {@code scope}, {@code iat}, {@code exp}, {@code jti}, {@code cnf.jkt} when DPoP-bound, and {@code gid}, the grant
 * id, so that revoking the grant revokes the token.
 *
 * <p>Two forms, one set of claims. A token whose every audience is a resource guarded in this same application
 * ({@link SameAppResources}) is a {@link CompactTokens compact reference token} MAC'd with HMAC-SHA256 under a key
 * derived from the current signing key ({@link MacKeys}): no public-key cryptography and no JWT where the verifier
 * is this application anyway, and about 70 characters instead of 450 on every request, as it carries of the claims
 * its grant holds only the grant's id. Every other token is a JWT signed with the configured asymmetric algorithm
 * ({@link AuthorizationServerSettings#signingAlgorithm()}), for resource servers that verify it against the JWK Set.
 * {@link #read} reads back both, and what same-app tokens were before (HS256 JWTs, compact tokens carrying every
 * claim), still valid until they expire.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1 (algorithm verification)</a>
 */
public final class AccessTokens {

    /** The JOSE {@code typ} of access tokens (RFC 9068 §2.1). */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** The claim naming the grant a token belongs to. */
    public static final String GRANT_ID_CLAIM = "gid";

    /** The one algorithm of same-app tokens. */
    public static final JWSAlgorithm MAC_ALGORITHM = JWSAlgorithm.HS256;

    static final int MAX_TOKEN_LENGTH = 8192;

    private static final System.Logger LOG = System.getLogger(AccessTokens.class.getName());

    private final AuthorizationServerSettings settings;
    private final SigningKeys keys;
    private final MacKeys macKeys;
    private final SameAppResources sameApp;
    private final Function<String, Optional<GrantClaims>> grants;
    private final Secrets secrets;
    /** By {@code kid}; filled only for keys found in the key list, so a handful of entries. */
    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();
    private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    /** Access tokens signed with {@code keys}, none of them MAC'd. */
    public AccessTokens(AuthorizationServerSettings settings, SigningKeys keys, Secrets secrets) {
        this(settings, keys, secrets, SameAppResources.none(), grantId -> Optional.empty());
    }

    /**
     * Access tokens signed with {@code keys}, MAC'd reference tokens when every audience is in {@code sameApp};
     * {@code grants} gives what a grant holds, to read those back ({@link GrantRevocationCheck#claims}).
     */
    public AccessTokens(AuthorizationServerSettings settings, SigningKeys keys, Secrets secrets,
            SameAppResources sameApp, Function<String, Optional<GrantClaims>> grants) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.macKeys = new MacKeys(keys);
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.sameApp = Objects.requireNonNull(sameApp, "sameApp");
        this.grants = Objects.requireNonNull(grants, "grants");
    }

    /**
     * Makes (or reads) the current signing key and derives its MAC key now, at the server's start, rather than in
     * its first token request: making a P-256 key there ran the curve's arithmetic in code the JIT had barely seen,
     * and C2 compiled it during the first flows (issue 13, item 2; docs/performance.md). A store that cannot be read
     * now is no error: the first token request tries again, as before.
     */
    public void prepareKeys() {
        try {
            macKeys.current();
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.INFO, "no signing key at start (the first token request will make or read"
                    + " it): {0}", e.getClass().getName());
        }
    }

    /** The MAC keys of same-app tokens: for the same-app verifiers. */
    public MacKeys macKeys() {
        return macKeys;
    }

    /** A new bearer access token for {@code grant}, with {@code scopes} and audience {@code resources}. */
    public String issue(Grant grant, Set<String> scopes, List<URI> resources, Instant now) {
        return issue(grant, scopes, resources, now, Optional.empty());
    }

    /**
     * {@link #issue(Grant, Set, List, Instant)}, bound to the DPoP key of thumbprint {@code jkt} when present
     * ({@code cnf.jkt}, RFC 9449 §6.1).
     */
    public String issue(Grant grant, Set<String> scopes, List<URI> resources, Instant now, Optional<String> jkt) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(settings.issuer().toString())
                .subject(grant.subject())
                .audience(resources.stream().map(URI::toString).toList())
                .claim("client_id", grant.clientId().getValue())
                .claim("scope", String.join(" ", scopes))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.accessTokenLifetime())))
                .jwtID(secrets.newId(16))
                .claim(GRANT_ID_CLAIM, grant.grantId());
        jkt.ifPresent(t -> builder.claim("cnf", Map.of("jkt", t)));
        JWTClaimsSet claims = builder.build();
        JWSHeader header;
        JWSSigner signer;
        if (sameApp.all(resources)) {
            MacKeys.MacKey key = macKeys.current();
            Optional<String> compact = CompactTokens.encode(claims, GrantRevocationCheck.claims(grant),
                    settings.issuer(), key.tag(), key.hmac());
            if (compact.isPresent()) {
                return compact.get();
            }
            // a claim too long for the compact layout: the same claims as an HS256 JWT
            header = new JWSHeader.Builder(MAC_ALGORITHM).type(AT_JWT).keyID(key.keyId()).build();
            signer = key.signer();
        } else {
            JWK key = keys.currentKey();
            header = new JWSHeader.Builder(KeyMaterial.algorithm(key)).type(AT_JWT).keyID(key.getKeyID()).build();
            signer = signers.computeIfAbsent(key.getKeyID(), kid -> signerOf(key));
        }
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        return jwt.serialize();
    }

    private static JWSSigner signerOf(JWK key) {
        try {
            return KeyMaterial.signer(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
    }

    /**
     * The claims of {@code token} if it is an unexpired access token this server signed or MAC'd, else empty. Reads a
     * reference token's grant (revoked or not) for the claims it holds; callers check revocation. HS256 is accepted
     * only with a MAC key of ours, and an asymmetric algorithm only with a public key of ours made for it (RFC 8725
     * §3.1).
     *
     * @throws StoreException if the token names a key this node has not loaded and the key store cannot be read
     */
    public Optional<JWTClaimsSet> read(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        if (CompactTokens.isCompact(token)) {
            return CompactTokens.decode(token, List.of(settings.issuer()), macKeys::hmac, grants)
                    .filter(claims -> unexpired(claims, now));
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!AT_JWT.equals(header.getType()) || header.getKeyID() == null || header.getJWKURL() != null
                    || header.getJWK() != null || header.getX509CertURL() != null
                    || header.getX509CertChain() != null || header.getCriticalParams() != null) {
                return Optional.empty();
            }
            JWSVerifier verifier = verifier(header.getAlgorithm(), header.getKeyID()).orElse(null);
            if (verifier == null || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!settings.issuer().toString().equals(claims.getIssuer()) || !unexpired(claims, now)
                    || claims.getStringClaim(GRANT_ID_CLAIM) == null) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (StoreException e) {
            throw e; // the keys cannot be read now: "unknown" would be a lie (the caller answers 503)
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean unexpired(JWTClaimsSet claims, Instant now) {
        return claims.getExpirationTime() != null && now.isBefore(claims.getExpirationTime().toInstant());
    }

    private Optional<JWSVerifier> verifier(JWSAlgorithm alg, String keyId) {
        if (MAC_ALGORITHM.equals(alg)) {
            return macKeys.verifier(keyId);
        }
        if (!KeyMaterial.supported(alg)) {
            return Optional.empty(); // none, other HS*, anything else: never tried
        }
        return keys.publicKey(keyId).filter(k -> alg.equals(KeyMaterial.algorithm(k)))
                .map(k -> verifiers.computeIfAbsent(k.getKeyID(), kid -> verifierOf(k)));
    }

    private static JWSVerifier verifierOf(JWK key) {
        try {
            return KeyMaterial.verifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot verify with key " + key.getKeyID(), e);
        }
    }
}
