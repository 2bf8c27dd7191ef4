package io.github.mcpoauth.core.internal.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.mcpoauth.core.internal.crypto.JwsSignatures;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a {@code private_key_jwt} client assertion (RFC 7523 §2.2 and §3, OpenID Connect Core §9) against the
 * public keys the client registered in its {@code jwks} metadata (or serves at its {@code jwks_uri}, through a
 * {@link ClientKeySource}): an allowed {@code alg}, a signature by one of
 * the client's keys, {@code iss} = {@code sub} = the client id, {@code aud} naming the issuer or the token
 * endpoint, an {@code exp} in the future and at most {@link #MAX_LIFETIME} away, and a {@code jti} not seen
 * before ({@link ReplayCache}). Time is read from the settings' clock (Nimbus's own verifier reads the system
 * clock, so the checks are made here on Nimbus's parsed {@link PrivateKeyJWT}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 §3</a>
 */
public final class PrivateKeyJwtVerifier {

    /** The signature algorithms accepted on client assertions (advertised in the metadata). */
    public static final List<JWSAlgorithm> ALGORITHMS = JwsSignatures.ALLOWED;

    /** The longest an assertion may live ahead of now: assertions are meant for one request. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    static final Duration SKEW = Duration.ofSeconds(30);

    private final AuthorizationServerSettings settings;
    private final ReplayCache replay;
    private final java.util.Optional<ClientKeySource> keySource;

    /** A verifier for this server's issuer and token endpoint, for clients with inline {@code jwks} only. */
    public PrivateKeyJwtVerifier(AuthorizationServerSettings settings, ReplayCache replay) {
        this(settings, replay, null);
    }

    /** A verifier that also fetches the keys of clients registered with a {@code jwks_uri} from {@code keys}. */
    public PrivateKeyJwtVerifier(AuthorizationServerSettings settings, ReplayCache replay, ClientKeySource keys) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.replay = Objects.requireNonNull(replay, "replay");
        this.keySource = java.util.Optional.ofNullable(keys);
    }

    /** Why an assertion was refused (never sent to the client: every refusal is {@code invalid_client}). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Checks {@code assertion} for {@code client}; throws {@link Refused} naming the reason. */
    void verify(PrivateKeyJWT assertion, RegisteredClient client) throws Refused {
        SignedJWT jwt = assertion.getClientAssertion();
        JWSHeader header = jwt.getHeader();
        if (!JwsSignatures.allowed(header.getAlgorithm())) {
            throw new Refused("alg not allowed");
        }
        if (!JwsSignatures.verify(jwt, clientKeys(client, header.getKeyID()))) {
            throw new Refused("bad signature or unknown key");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new Refused("malformed claims");
        }
        String id = client.clientId().getValue();
        if (!id.equals(claims.getIssuer()) || !id.equals(claims.getSubject())) {
            throw new Refused("iss and sub must be the client id");
        }
        Set<String> audiences = Set.of(settings.issuer().toString(),
                settings.endpoint(settings.paths().token()).toString());
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw new Refused("aud must name this authorization server");
        }
        Instant now = settings.clock().instant();
        if (claims.getExpirationTime() == null) {
            throw new Refused("exp missing");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!now.minus(SKEW).isBefore(exp)) {
            throw new Refused("expired");
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw new Refused("exp too far ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw new Refused("not yet valid");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw new Refused("jti missing");
        }
        if (!replay.firstUse("client:" + id + "\u0000" + claims.getJWTID(), exp.plus(SKEW))) {
            throw new Refused("jti replayed");
        }
    }

    /**
     * The public keys in the client's registered {@code jwks} metadata, or fetched from its {@code jwks_uri}
     * (refetched when {@code kid} is unknown, as the key source's rate limit allows); empty if it has neither.
     */
    private JWKSet clientKeys(RegisteredClient client, String kid) throws Refused {
        net.minidev.json.JSONObject metadata;
        try {
            metadata = JSONObjectUtils.parse(client.metadataJson());
            net.minidev.json.JSONObject jwks = JSONObjectUtils.getJSONObject(metadata, "jwks", null);
            if (jwks != null || !metadata.containsKey("jwks_uri")) {
                return jwks == null ? new JWKSet() : JWKSet.parse(jwks).toPublicJWKSet();
            }
        } catch (com.nimbusds.oauth2.sdk.ParseException | java.text.ParseException e) {
            throw new Refused("the client's jwks cannot be read");
        }
        if (keySource.isEmpty() || !(metadata.get("jwks_uri") instanceof String uri)) {
            throw new Refused("the client's jwks_uri cannot be used here");
        }
        try {
            return keySource.get().keys(java.net.URI.create(uri), kid).toPublicJWKSet();
        } catch (io.github.mcpoauth.core.error.OAuthException | IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }
}
