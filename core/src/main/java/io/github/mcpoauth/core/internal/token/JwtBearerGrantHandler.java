package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.internal.client.ReplayCache;
import io.github.mcpoauth.core.internal.crypto.JwsSignatures;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JWT bearer grant (RFC 7523 §2.1, {@code urn:ietf:params:oauth:grant-type:jwt-bearer}) for assertions from
 * {@linkplain TrustedIssuer trusted issuers}: workload identity tokens, and ID-JAGs from an enterprise identity
 * provider (SEP-990: {@code typ} {@code oauth-id-jag+jwt}, {@code aud} our issuer, {@code client_id} the
 * authenticated client, {@code resource} and {@code scope} bound into the token).
 *
 * <p>Checks, each refused with {@code invalid_grant} and never handed to another grant: an issuer configured for
 * the assertion's kind; an allowed {@code alg} and a signature by one of its configured keys (never a key the JWT
 * names); {@code aud} naming this server; {@code exp} present, not passed, at most {@link #MAX_LIFETIME} ahead;
 * {@code nbf}/{@code iat} not in the future beyond the skew; a {@code jti}, accepted once; a subject the mapping
 * hook accepts. The client must be registered for this grant type. No refresh token is issued.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-3">RFC 7523 §3</a>
 */
final class JwtBearerGrantHandler implements GrantHandler<JWTBearerGrant> {

    /** The JOSE {@code typ} of an identity assertion JWT authorization grant. */
    static final JOSEObjectType ID_JAG = new JOSEObjectType("oauth-id-jag+jwt");

    /** The longest an assertion may live ahead of now. */
    static final Duration MAX_LIFETIME = Duration.ofHours(1);

    private static final Duration SKEW = Duration.ofSeconds(30);

    private final GrantDependencies deps;
    private final ReplayCache replay;
    private final Map<String, TrustedIssuer> issuers;

    JwtBearerGrantHandler(GrantDependencies deps, ReplayCache replay, List<TrustedIssuer> issuers) {
        this.deps = deps;
        this.replay = Objects.requireNonNull(replay, "replay");
        this.issuers = issuers.stream().collect(Collectors.toUnmodifiableMap(TrustedIssuer::issuer,
                Function.identity()));
    }

    @Override
    public GrantType grantType() {
        return GrantType.JWT_BEARER;
    }

    @Override
    public Class<JWTBearerGrant> grantClass() {
        return JWTBearerGrant.class;
    }

    @Override
    public TokenResult handle(JWTBearerGrant grant, TokenContext context) {
        RegisteredClient client = context.client();
        if (!client.grantTypes().contains(GrantType.JWT_BEARER)) {
            throw OAuthException.of(OAuth2Error.UNAUTHORIZED_CLIENT, "The client may not use the JWT bearer grant");
        }
        if (!(grant.getJWTAssertion() instanceof SignedJWT jwt)) {
            throw OAuthException.invalidGrant("The assertion must be a signed JWT");
        }
        JWTClaimsSet claims = claims(jwt);
        boolean idJag = ID_JAG.equals(jwt.getHeader().getType());
        TrustedIssuer issuer = Optional.ofNullable(claims.getIssuer()).map(issuers::get)
                .filter(i -> i.kind() == (idJag ? TrustedIssuer.Kind.ENTERPRISE : TrustedIssuer.Kind.WORKLOAD))
                .orElseThrow(() -> OAuthException.invalidGrant("The assertion's issuer is not trusted"));
        if (!JwsSignatures.verify(jwt, issuer.keys())) {
            throw OAuthException.invalidGrant("The assertion's signature or algorithm is not acceptable");
        }
        Instant now = context.now();
        checkAudience(claims, idJag);
        Instant exp = checkTimes(claims, now);
        Set<String> scopes;
        List<URI> audience;
        if (idJag) {
            if (!client.clientId().getValue().equals(stringClaim(claims, "client_id"))) {
                throw OAuthException.invalidGrant("The ID-JAG was issued to another client");
            }
            scopes = idJagScopes(claims, client, context);
            audience = idJagResources(claims, context);
        } else {
            scopes = requestedScopes(client, context);
            audience = GrantSupport.narrowResources(deps.settings(), deps.settings().resources(), context.resources());
        }
        String subject = subject(issuer, claims);
        // Last, so that an assertion refused above can be corrected and sent again with the same jti.
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw OAuthException.invalidGrant("The assertion has no jti");
        }
        if (!replay.firstUse("grant:" + issuer.issuer() + "\u0000" + claims.getJWTID(), exp.plus(SKEW))) {
            throw OAuthException.invalidGrant("The assertion was already used");
        }
        Grant saved = new Grant(deps.secrets().newId(16), client.clientId(), subject, scopes, audience, now,
                Optional.empty(), now.plus(deps.settings().accessTokenLifetime()), false);
        String accessToken = deps.accessTokens().issue(saved, scopes, audience, now, context.confirmation());
        deps.stores().grants().save(saved);
        deps.audit().onEvent(GrantSupport.event(AuditEvent.Type.TOKEN_ISSUED, now, saved,
                "grant=jwt-bearer" + (idJag ? " (id-jag)" : "") + " iss=" + issuer.issuer()));
        return new TokenResult(accessToken, scopes, Optional.empty(), context.confirmation());
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw OAuthException.invalidGrant("The assertion's claims cannot be read");
        }
    }

    private void checkAudience(JWTClaimsSet claims, boolean idJag) {
        String issuer = deps.settings().issuer().toString();
        List<String> aud = claims.getAudience();
        boolean ok = idJag ? aud != null && aud.contains(issuer)
                : aud != null && (aud.contains(issuer)
                        || aud.contains(deps.settings().endpoint(deps.settings().paths().token()).toString()));
        if (!ok) {
            throw OAuthException.invalidGrant("The assertion's audience is not this authorization server");
        }
    }

    private static Instant checkTimes(JWTClaimsSet claims, Instant now) {
        if (claims.getExpirationTime() == null) {
            throw OAuthException.invalidGrant("The assertion has no exp");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!now.minus(SKEW).isBefore(exp)) {
            throw OAuthException.invalidGrant("The assertion has expired");
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw OAuthException.invalidGrant("The assertion lives too long");
        }
        if ((claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW)))
                || (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(SKEW)))) {
            throw OAuthException.invalidGrant("The assertion is not valid yet");
        }
        return exp;
    }

    private static String subject(TrustedIssuer issuer, JWTClaimsSet claims) {
        Optional<String> mapped;
        try {
            mapped = issuer.subjects().apply(claims);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the subject mapping hook failed", e); // server_error, no details
        }
        return mapped.filter(s -> !s.isBlank())
                .orElseThrow(() -> OAuthException.invalidGrant("The assertion's subject is not accepted"));
    }

    private Set<String> requestedScopes(RegisteredClient client, TokenContext context) {
        Set<String> allowed = client.scopes().isEmpty() ? deps.settings().scopes() : client.scopes();
        if (context.scope() == null) {
            return client.scopes().isEmpty() ? deps.settings().defaultScopes() : client.scopes();
        }
        Set<String> asked = new LinkedHashSet<>(context.scope().toStringList());
        if (!allowed.containsAll(asked)) {
            throw OAuthException.invalidScope("The requested scope is not allowed for this client");
        }
        return asked;
    }

    /** The ID-JAG's {@code scope}, bound into the token: each known to the server and allowed to the client. */
    private Set<String> idJagScopes(JWTClaimsSet claims, RegisteredClient client, TokenContext context) {
        String scope = stringClaim(claims, "scope");
        Set<String> granted = scope == null ? Set.of() : new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
        granted.remove("");
        Set<String> allowed = client.scopes().isEmpty() ? deps.settings().scopes() : client.scopes();
        Set<String> usable = new LinkedHashSet<>(granted);
        usable.retainAll(allowed);
        if (context.scope() != null) {
            Set<String> asked = new LinkedHashSet<>(context.scope().toStringList());
            if (!usable.containsAll(asked)) {
                throw OAuthException.invalidScope("The requested scope exceeds the ID-JAG's scope");
            }
            return asked;
        }
        return usable;
    }

    /** The ID-JAG's {@code resource}: a resource this server protects, the token's only audience. */
    private List<URI> idJagResources(JWTClaimsSet claims, TokenContext context) {
        Object resource = claims.getClaim("resource");
        List<String> named = resource instanceof String s ? List.of(s)
                : resource instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        if (named.isEmpty()) {
            throw OAuthException.invalidGrant("The ID-JAG names no resource");
        }
        List<URI> granted = named.stream().map(r -> {
            try {
                return deps.settings().protectedResource(URI.create(r))
                        .orElseThrow(() -> OAuthException.invalidGrant("The ID-JAG's resource is not served here"));
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidGrant("The ID-JAG's resource is not a URI");
            }
        }).distinct().toList();
        return GrantSupport.narrowResources(deps.settings(), granted, context.resources());
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }
}
