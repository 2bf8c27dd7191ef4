package io.github.mcpoauth.core.resource;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Verifies the bearer access tokens presented to one protected resource: token string in, an
 * {@link AccessTokenPrincipal} out, or an {@link OAuthException} carrying the RFC 6750 §3.1 error to answer with.
 *
 * <p>Three ways to trust a token, chosen on the {@link Builder}:
 * <ol>
 *   <li>{@link Builder#localKeys(Supplier)}: the authorization server runs in the same application; tokens
 *       are checked against its public keys (RFC 9068 JWTs) or MAC keys ({@link Builder#sameAppMacKeys}), with
 *       {@code AuthorizationServer.revocationCheck()}, which refuses a revoked grant at once and gives the claims a
 *       same-app reference token leaves to its grant ({@link RevocationCheck#grantClaims});</li>
 *   <li>{@link Builder#remoteJwks(URI)}: a separate authorization server; its JWK Set is fetched with timeouts
 *       and a size limit, cached, and refetched (rate-limited) when a token names an unknown {@code kid}, which is
 *       how key rotation is followed;</li>
 *   <li>{@link Builder#introspection(URI, ClientAuthentication)}: opaque tokens, asked of the authorization
 *       server's RFC 7662 endpoint.</li>
 * </ol>
 *
 * <p>A JWT must: be at most {@link ProtectedResourceSettings#maxTokenLength()} characters of compact JWS, with
 * JSON nested no deeper than 16 (checked before any parsing or cryptography); carry {@code typ} {@code at+jwt},
 * an allowed asymmetric {@code alg} and a {@code kid}, and no {@code jku}, {@code x5u}, {@code jwk}, {@code x5c}
 * or {@code crit} header (refused, never followed); verify with the key that {@code kid} names; carry exactly a
 * trusted {@code iss}, an {@code aud} naming this resource (RFC 8707), {@code exp}, {@code iat}, {@code sub},
 * {@code client_id} and {@code jti} (RFC 9068 §2.2), with {@code exp}, {@code nbf} and {@code iat} holding within
 * the clock skew. Every refusal is the same 401 {@code invalid_token} with a generic description; the reason
 * goes to the {@code DEBUG} log, never the token.
 *
 * <p>A refusal is remembered briefly (see {@link Builder#refusalCache}), so that a replayed forged token costs a
 * lookup. When the keys, the introspection endpoint or the revocation check cannot be reached, the answer is 503
 * {@code temporarily_unavailable}, never 401: a valid token is not refused because a store is down.
 *
 * <p>Valid results are cached, keyed by the SHA-256 of the token, bounded in number, and never kept past the
 * token's {@code exp} nor past the cache TTL: a repeat verification costs a hash and a map lookup. The
 * {@link RevocationCheck} runs on every verification, cached or not.
 *
 * <p>Thread-safe; build one per protected resource and share it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 §2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725">RFC 8725 (JWT BCP)</a>
 */
public final class AccessTokenVerifier {

    private static final System.Logger LOG = System.getLogger(AccessTokenVerifier.class.getName());

    private final ProtectedResourceSettings settings;
    private final TokenValidator validator;
    private final RevocationCheck revocationCheck;
    private final VerificationCaches caches;

    private AccessTokenVerifier(ProtectedResourceSettings settings, TokenValidator validator,
            RevocationCheck revocationCheck, VerificationCaches caches) {
        this.settings = settings;
        this.validator = validator;
        this.revocationCheck = revocationCheck;
        this.caches = caches;
    }

    /** A builder for a verifier of tokens presented to the resource {@code settings} describe. */
    public static Builder builder(ProtectedResourceSettings settings) {
        return new Builder(settings);
    }

    /** The settings of the resource this verifier accepts tokens for. */
    public ProtectedResourceSettings settings() {
        return settings;
    }

    /**
     * Verifies {@code token} (the bare token, without {@code "Bearer "}): authentic, meant for this resource,
     * within its lifetime and not revoked. Scopes are not checked here: see {@link #requireScopes}.
     *
     * @return who the token speaks for
     * @throws OAuthException 401 {@code invalid_token} if the token is refused, or 503
     *     {@code temporarily_unavailable} if it cannot be checked now (keys, introspection or revocation check
     *     unreachable)
     */
    public AccessTokenPrincipal verify(String token) {
        return verify(token, VerificationCaches.Key.of(token, settings.maxTokenLength()));
    }

    private AccessTokenPrincipal verify(String token, VerificationCaches.Key key) {
        AccessTokenPrincipal known = key == null ? null : caches.verified(key); // refusals: only if not cached
        if (key == null || known == null && caches.wasRefused(key)) {
            throw refused(key == null ? "empty or oversized token" : "refused moments ago");
        }
        try {
            return verifyNew(token, key, known);
        } catch (OAuthException e) {
            if (e.error().getHTTPStatusCode() == 401) {
                caches.rememberRefused(key);
            }
            throw e;
        }
    }

    /** {@link #verify(String)} as a value: refused from memory, refused now, or cannot check now (503). */
    Verification check(String token) {
        VerificationCaches.Key key = VerificationCaches.Key.of(token, settings.maxTokenLength()); // hashed once
        if (key != null && caches.wasRefused(key)) {
            return new Verification.Refused(true);
        }
        try {
            return new Verification.Verified(verify(token, key));
        } catch (OAuthException e) {
            return e.error().getHTTPStatusCode() == 503 ? new Verification.Unavailable()
                    : new Verification.Refused(false);
        }
    }

    private AccessTokenPrincipal verifyNew(String token, VerificationCaches.Key key, AccessTokenPrincipal known) {
        // known: the cache hit, with no exp check (UntilTokenExpiry drops every entry at its exp), or null
        AccessTokenPrincipal principal = known;
        boolean fresh = principal == null;
        if (fresh) {
            try {
                principal = validator.validate(token);
            } catch (TokenRejected e) {
                throw refused(e.getMessage());
            } catch (OAuthException e) {
                throw e;
            } catch (RuntimeException e) {
                if (BearerErrors.cannotCheckNow(e)) {
                    // A store behind the keys failed: the token may well be valid; never tell the client otherwise.
                    LOG.log(Level.WARNING, "cannot verify an access token now: {0}", e.getClass().getName());
                    throw BearerErrors.temporarilyUnavailable();
                }
                // A library surprise on hostile input is still a refused token, never a 500 (SECURITY case 35).
                LOG.log(Level.WARNING, "unexpected failure verifying an access token: {0}", e.getClass().getName());
                throw refused(e.getClass().getSimpleName());
            }
        }
        if (!isActive(principal)) {
            caches.forget(key);
            throw refused("revoked (grant " + principal.grantId().orElse("-") + ")");
        }
        if (fresh) {
            caches.putVerified(key, principal);
        }
        return principal;
    }

    /** {@link #verify(String)}, then {@link #requireScopes(AccessTokenPrincipal, Collection)}. */
    public AccessTokenPrincipal verify(String token, Collection<String> operationScopes) {
        AccessTokenPrincipal principal = verify(token);
        requireScopes(principal, operationScopes);
        return principal;
    }

    /**
     * Checks that {@code principal} holds the resource's {@link ProtectedResourceSettings#requiredScopes()} and
     * every one of {@code operationScopes}.
     *
     * @throws OAuthException 403 {@code insufficient_scope} naming all of those scopes (RFC 6750 §3.1), so the
     *     client can ask for them in one step-up authorization
     */
    public void requireScopes(AccessTokenPrincipal principal, Collection<String> operationScopes) {
        Set<String> needed = scopesNeeded(operationScopes);
        if (!settings.grants(principal.scopes(), needed)) { // implied scopes count (mcp:write implies mcp:read)
            throw BearerErrors.insufficientScope(needed);
        }
    }

    /** The resource's required scopes followed by {@code operationScopes}, without repeats. */
    public Set<String> scopesNeeded(Collection<String> operationScopes) {
        Set<String> needed = new LinkedHashSet<>(settings.requiredScopes());
        needed.addAll(operationScopes);
        return needed;
    }

    /** Forgets the cached result for {@code token}, if any. */
    public void invalidate(String token) {
        Optional.ofNullable(token).map(VerificationCaches.Key::of).ifPresent(caches::forget);
    }

    /** Forgets the cached results of every token of the grant {@code grantId} (the {@code gid} claim). */
    public void invalidateGrant(String grantId) {
        caches.forgetGrant(grantId);
    }

    /** Forgets every cached result. */
    public void invalidateAll() {
        caches.forgetAll();
    }

    /** How many verified tokens are cached now (an estimate). */
    public long cachedTokens() {
        return caches.verifiedCount();
    }

    private boolean isActive(AccessTokenPrincipal principal) {
        try {
            return revocationCheck.isActive(principal);
        } catch (RuntimeException e) {
            throw BearerErrors.revocationCheckFailed(LOG, e);
        }
    }

    private static OAuthException refused(String reason) {
        return BearerErrors.invalidToken(LOG, reason);
    }

    /**
     * Builds an {@link AccessTokenVerifier}. Exactly one token source is required: {@link #localKeys},
     * {@link #jwkSource}, {@link #remoteJwks} or {@link #introspection}. Every setter checks its argument at once.
     */
    public static final class Builder {
        private final ProtectedResourceSettings settings;
        private String source;
        private JWKSource<SecurityContext> jwkSource;
        private URI jwksUri;
        private URI introspectionEndpoint;
        private ClientAuthentication introspectionAuthentication;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(3);
        private int maxResponseBytes = 64 * 1024;
        private Duration jwksCacheTtl = Duration.ofMinutes(5);
        private Duration jwksRefetchInterval = Duration.ofSeconds(30);
        private RevocationCheck revocationCheck;
        private Function<String, Optional<JWSVerifier>> macKeys;
        private long cacheMaximumSize = 10_000;
        private Duration cacheTtl;
        private long refusalsMaximumSize = 10_000;
        private Duration refusalsTtl = Duration.ofSeconds(30);

        private Builder(ProtectedResourceSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * Same-application mode: JWTs are verified against the key set {@code jwks} returns, called on every
         * verification that misses the cache (so it must be cheap: {@code SigningKeys::publicJwks} is).
         */
        public Builder localKeys(Supplier<JWKSet> jwks) {
            Objects.requireNonNull(jwks, "localKeys");
            setSource("localKeys");
            this.jwkSource = JwtTokenValidator.keySet(jwks);
            return this;
        }

        /** JWTs verified against any Nimbus {@link JWKSource} the host has built itself. */
        public Builder jwkSource(JWKSource<SecurityContext> source) {
            Objects.requireNonNull(source, "jwkSource");
            setSource("jwkSource");
            this.jwkSource = source;
            return this;
        }

        /**
         * Separate-authorization-server mode: JWTs verified against the JWK Set at {@code jwksUri} (the
         * authorization server's {@code jwks_uri}, RFC 8414 §2), fetched with {@link #httpTimeouts} and
         * {@link #maxResponseBytes}, cached and refetched on an unknown {@code kid} as {@link #jwksCache} says.
         */
        public Builder remoteJwks(URI jwksUri) {
            this.jwksUri = BuilderChecks.endpointUrl("remoteJwks", jwksUri);
            setSource("remoteJwks");
            return this;
        }

        /**
         * Introspection mode (RFC 7662): every token not in the cache is sent to {@code endpoint}, this resource
         * server authenticating with {@code clientAuthentication} (e.g. Nimbus {@code ClientSecretBasic}). The
         * answer is cached for at most {@link #cacheTtl} (default 60 seconds here), never past the token's
         * {@code exp}.
         */
        public Builder introspection(URI endpoint, ClientAuthentication clientAuthentication) {
            this.introspectionEndpoint = BuilderChecks.endpointUrl("introspection", endpoint);
            this.introspectionAuthentication = Objects.requireNonNull(clientAuthentication,
                    "clientAuthentication");
            setSource("introspection");
            return this;
        }

        /**
         * With {@link #localKeys} or {@link #jwkSource}: compact same-app tokens and HS256 JWTs are verified with
         * the MAC verifier {@code verifiersByKid} gives for their key tag or {@code kid} (none: refused), other JWTs
         * by the JWT source, never HS*. Only McpOAuth's own MAC keys (it wires them; RFC 8725) check compact tokens.
         */
        public Builder sameAppMacKeys(Function<String, Optional<JWSVerifier>> verifiersByKid) {
            this.macKeys = Objects.requireNonNull(verifiersByKid, "sameAppMacKeys");
            return this;
        }

        /** Connect timeout and whole-exchange timeout for remote JWKS and introspection (default 2 s and 3 s). */
        public Builder httpTimeouts(Duration connect, Duration read) {
            this.connectTimeout = BuilderChecks.durationBetween("httpTimeouts.connect", connect, Duration.ofMillis(100),
                    Duration.ofSeconds(60));
            this.readTimeout = BuilderChecks.durationBetween("httpTimeouts.read", read, Duration.ofMillis(100),
                    Duration.ofSeconds(60));
            return this;
        }

        /** The largest JWKS or introspection response accepted, 1 KiB to 1 MiB (default 64 KiB). */
        public Builder maxResponseBytes(int bytes) {
            this.maxResponseBytes = BuilderChecks.intBetween("maxResponseBytes", bytes, 1024, 1024 * 1024);
            return this;
        }

        /**
         * How long a fetched remote JWK Set is used (default 5 minutes) and the least time between two fetches
         * caused by an unknown {@code kid} (default 30 seconds), which must be shorter.
         */
        public Builder jwksCache(Duration ttl, Duration refetchMinInterval) {
            this.jwksCacheTtl = BuilderChecks.durationBetween("jwksCache.ttl", ttl, Duration.ofSeconds(1),
                    Duration.ofDays(1));
            this.jwksRefetchInterval = BuilderChecks.durationBetween("jwksCache.refetchMinInterval", refetchMinInterval,
                    Duration.ofMillis(1), Duration.ofHours(1));
            if (refetchMinInterval.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("jwksCache.refetchMinInterval must be shorter than the ttl");
            }
            return this;
        }

        /**
         * The check run on every verification (default {@link RevocationCheck#none()}; required with
         * {@link #sameAppMacKeys}, as it knows the grants reference tokens name): for an authorization server in the
         * same application, {@code authorizationServer.revocationCheck()}.
         */
        public Builder revocationCheck(RevocationCheck check) {
            this.revocationCheck = Objects.requireNonNull(check, "revocationCheck");
            return this;
        }

        /** How many verified tokens to cache, 0 (no cache) to 1,000,000 (default 10,000). */
        public Builder cacheMaximumSize(long size) {
            this.cacheMaximumSize = BuilderChecks.longBetween("cacheMaximumSize", size, 0, 1_000_000);
            return this;
        }

        /**
         * The longest a verification result is cached, 1 second to 1 day; never past the token's {@code exp}
         * anyway. Default 5 minutes for JWTs, 60 seconds for introspection.
         */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = BuilderChecks.durationBetween("cacheTtl", ttl, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /**
         * How many refused tokens to remember by SHA-256 (0 to 1,000,000, default 10,000) and how long (1 s to 10
         * min, default 30 s): a token refused (401) moments ago is refused again with no signature check. Short,
         * as a token with an unknown {@code kid} may verify after a refetch; a 503 is never remembered.
         */
        public Builder refusalCache(long maximumSize, Duration ttl) {
            this.refusalsMaximumSize = BuilderChecks.longBetween("refusalCache.maximumSize", maximumSize, 0,
                    1_000_000);
            this.refusalsTtl = BuilderChecks.durationBetween("refusalCache.ttl", ttl, Duration.ofSeconds(1),
                    Duration.ofMinutes(10));
            return this;
        }

        /** Builds the verifier. */
        public AccessTokenVerifier build() {
            BuilderChecks.state(source != null, "a token source is required: localKeys, jwkSource, remoteJwks or "
                    + "introspection");
            BuilderChecks.state(macKeys == null || jwkSource != null, "sameAppMacKeys needs localKeys or jwkSource");
            BuilderChecks.state(macKeys == null || revocationCheck != null,
                    "sameAppMacKeys needs the revocationCheck that knows the grants");
            RevocationCheck check = revocationCheck != null ? revocationCheck : RevocationCheck.none();
            Duration ttl = cacheTtl != null ? cacheTtl
                    : introspectionEndpoint != null ? Duration.ofSeconds(60) : Duration.ofMinutes(5);
            JWKSource<SecurityContext> keys = jwksUri == null ? jwkSource : RemoteKeys.source(jwksUri, connectTimeout,
                    readTimeout, maxResponseBytes, jwksCacheTtl, jwksRefetchInterval);
            TokenValidator validator = introspectionEndpoint != null // a JDK HttpClient only where one is used
                    ? new IntrospectionTokenValidator(settings, introspectionEndpoint, introspectionAuthentication,
                            new BoundedHttpSender(connectTimeout, readTimeout, maxResponseBytes), ttl)
                    : new JwtTokenValidator(settings, keys, macKeys, check);
            return new AccessTokenVerifier(settings, validator, check, new VerificationCaches(
                    settings.clock(), cacheMaximumSize, ttl, refusalsMaximumSize, refusalsTtl));
        }

        private void setSource(String name) {
            if (source != null) {
                throw new IllegalStateException("the token source was already set to " + source);
            }
            source = name;
        }
    }
}
