package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.StoreException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issues and reads back the server's JWT access tokens (RFC 9068): header {@code typ: at+jwt}, ES256 with the
 * current key's {@code kid}; claims {@code iss}, {@code sub}, {@code aud} (the resources, RFC 8707),
 * {@code client_id}, {@code scope}, {@code iat}, {@code exp}, {@code jti}, and {@code gid}, the grant id, so that
 * revoking the grant revokes the token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2">RFC 9068 §2.2</a>
 */
public final class AccessTokens {

    /** The JOSE {@code typ} of access tokens (RFC 9068 §2.1). */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** The claim naming the grant a token belongs to. */
    public static final String GRANT_ID_CLAIM = "gid";

    static final int MAX_TOKEN_LENGTH = 8192;

    private final AuthorizationServerSettings settings;
    private final SigningKeys keys;
    private final Secrets secrets;

    /** Access tokens signed with {@code keys}. */
    public AccessTokens(AuthorizationServerSettings settings, SigningKeys keys, Secrets secrets) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** A new signed bearer access token for {@code grant}, with {@code scopes} and audience {@code resources}. */
    public SignedJWT issue(Grant grant, Set<String> scopes, List<URI> resources, Instant now) {
        return issue(grant, scopes, resources, now, Optional.empty());
    }

    /**
     * {@link #issue(Grant, Set, List, Instant)}, bound to the DPoP key of thumbprint {@code jkt} when present
     * ({@code cnf.jkt}, RFC 9449 §6.1).
     */
    public SignedJWT issue(Grant grant, Set<String> scopes, List<URI> resources, Instant now, Optional<String> jkt) {
        ECKey key = keys.currentKey();
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
        jkt.ifPresent(t -> builder.claim("cnf", java.util.Map.of("jkt", t)));
        JWTClaimsSet claims = builder.build();
        JWSHeader header = new JWSHeader.Builder(SigningKeys.ALGORITHM).type(AT_JWT).keyID(key.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        return jwt;
    }

    /**
     * The claims of {@code token} if it is an unexpired access token this server signed, else empty. Does not
     * consult the grant: callers check revocation.
     *
     * @throws StoreException if the token names a key this node has not loaded and the key store cannot be read
     */
    public Optional<JWTClaimsSet> read(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!SigningKeys.ALGORITHM.equals(header.getAlgorithm()) || !AT_JWT.equals(header.getType())
                    || header.getKeyID() == null || header.getJWKURL() != null || header.getJWK() != null
                    || header.getX509CertURL() != null) {
                return Optional.empty();
            }
            JWK jwk = keys.publicKey(header.getKeyID()).orElse(null);
            if (!(jwk instanceof ECKey ec) || !jwt.verify(new ECDSAVerifier(ec))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!settings.issuer().toString().equals(claims.getIssuer()) || claims.getExpirationTime() == null
                    || !now.isBefore(claims.getExpirationTime().toInstant())
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
}
