package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.McpResourceServer.LegacyTokens;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.internal.edge.EdgeReader;
import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import io.github.mcpoauth.servlet.limit.RateLimit;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer guard: a servlet {@link Filter} to map in front of an MCP endpoint (e.g. on {@code /mcp/*}).
 *
 * <p>For every request it:
 * <ol>
 *   <li>takes the access token from the {@code Authorization: Bearer} header, and only from there (RFC 6750 §2.1;
 *       a query-string {@code access_token} or two {@code Authorization} headers are 400 {@code invalid_request});
 *       with no header it answers 401 {@code WWW-Authenticate: Bearer resource_metadata="…", scope="…"}, which is
 *       how MCP clients discover the authorization server (RFC 9728 §5.1);</li>
 *   <li>verifies it with the {@link AccessTokenVerifier} (401 {@code invalid_token} on any failure);</li>
 *   <li>checks the endpoint's {@link ProtectedResourceSettings#requiredScopes() required scopes} and, for a POST
 *       when {@link McpScopeRules} are set, the scopes of the JSON-RPC method and tool it calls, reading the body
 *       (at most {@link Builder#maxBodyBytes}) and handing the same bytes on (403 {@code insufficient_scope}
 *       naming every scope needed);</li>
 *   <li>passes on a request whose {@code getUserPrincipal()} is the {@link AccessTokenPrincipal} (also the
 *       request attribute {@link #PRINCIPAL_ATTRIBUTE}), {@code getAuthType()} is {@code "Bearer"},
 *       {@code isUserInRole(scope)} tells the scopes, and which has no {@code Authorization} header: the token
 *       goes no further (no token passthrough).</li>
 * </ol>
 *
 * <p>Build with {@link #builder(ProtectedResourceSettings, AccessTokenVerifier)}; immutable and thread-safe; no
 * static state, so two guards in one JVM never interfere.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-5.1">RFC 9728 §5.1</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 */
public final class BearerGuardFilter implements Filter {

    /** The request attribute holding the {@link AccessTokenPrincipal} of a request the guard let through. */
    public static final String PRINCIPAL_ATTRIBUTE = "io.github.mcpoauth.principal";

    /** The request attribute holding the {@link LegacyTokens.Caller} of a request let through on a legacy token. */
    public static final String LEGACY_CALLER_ATTRIBUTE = "io.github.mcpoauth.legacyCaller";

    /** The default {@link Builder#badTokenThrottle} limit: 30 refused tokens per address and minute. */
    public static final RateLimit DEFAULT_BAD_TOKEN_LIMIT = RateLimit.perMinute(30);

    private static final System.Logger LOG = System.getLogger(BearerGuardFilter.class.getName());

    private final ProtectedResourceSettings settings;
    private final AccessTokenVerifier verifier;
    private final McpScopeRules rules;
    private final int maxBodyBytes;
    private final boolean allowCorsPreflight;
    private final JsonRpcInspector inspector = new JsonRpcInspector();
    private final BadTokenThrottle throttle;
    private final StorePermits storePermits;
    private final GuardDpop dpop;
    private final HostOriginCheck hostOrigin;
    private final LegacyFallback legacy;
    private final GuardScopes scopes;

    private BearerGuardFilter(Builder b) {
        this.legacy = b.legacy;
        this.settings = b.settings;
        this.verifier = b.verifier;
        this.rules = b.rules;
        this.maxBodyBytes = b.maxBodyBytes;
        this.allowCorsPreflight = b.allowCorsPreflight;
        this.throttle = b.throttle;
        this.storePermits = b.storePermits;
        this.dpop = new GuardDpop(b.settings);
        this.hostOrigin = b.checkHostAndOrigin ? new HostOriginCheck(b.settings) : null;
        this.scopes = new GuardScopes(b.settings, b.verifier);
    }

    /**
     * A builder for a guard of the resource {@code settings} describe, verifying tokens with {@code verifier},
     * which must have been built for the same resource.
     */
    public static Builder builder(ProtectedResourceSettings settings, AccessTokenVerifier verifier) {
        return new Builder(settings, verifier);
    }

    /** A builder for a guard using the verifier's own settings. */
    public static Builder builder(AccessTokenVerifier verifier) {
        return new Builder(Objects.requireNonNull(verifier, "verifier").settings(), verifier);
    }

    /** The principal of a request this guard let through, if it is one. */
    public static Optional<AccessTokenPrincipal> principal(HttpServletRequest request) {
        Principal p = request.getUserPrincipal();
        if (p instanceof AccessTokenPrincipal atp) {
            return Optional.of(atp);
        }
        Object attribute = request.getAttribute(PRINCIPAL_ATTRIBUTE);
        return attribute instanceof AccessTokenPrincipal atp ? Optional.of(atp) : Optional.empty();
    }

    /** The settings of the resource this guard protects. */
    public ProtectedResourceSettings settings() {
        return settings;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("BearerGuardFilter guards HTTP requests only");
        }
        if (allowCorsPreflight && EdgeReader.isCorsPreflight(request)) {
            chain.doFilter(request, response);
            return;
        }
        // faults and limits (issue 14): a throttled address, then a store outage as 503, never as a bad token;
        // a request without credentials is never throttled (the 401 challenge costs nothing: discovery goes on)
        Optional<Duration> throttled = throttle == null || request.getHeader("Authorization") == null
                ? Optional.empty() : throttle.blocked(request);
        if (throttled.isPresent()) {
            tooManyBadTokens(request, response, throttled.get());
            return;
        }
        HttpServletRequest authorized;
        try {
            authorized = authorize(request, response);
        } catch (OAuthException e) {
            if (throttle != null && BearerTokenError.INVALID_TOKEN.getCode().equals(e.error().getCode())) {
                Optional<Duration> over = throttle.refused(request);
                if (over.isPresent()) {
                    tooManyBadTokens(request, response, over.get());
                    return;
                }
            }
            EdgeWriter.refuseBearer(settings, e, request, response, dpop::challenge);
            return;
        } catch (RuntimeException e) {
            // never a container 500 with a stack trace: 503 when a store is unreachable, else server_error
            boolean unavailable = ErrorResponses.isUnavailable(e);
            LOG.log(System.Logger.Level.WARNING, "token not verified ({0}): {1}",
                    unavailable ? "store unavailable" : "unexpected failure", e.getClass().getName());
            EdgeWriter.refuseBearer(settings, unavailable ? BearerErrors.temporarilyUnavailable()
                    : new OAuthException(OAuth2Error.SERVER_ERROR.setDescription("Unexpected server error")),
                    request, response, dpop::challenge);
            return;
        }
        chain.doFilter(authorized, response);
    }

    private HttpServletRequest authorize(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (hostOrigin != null) {
            hostOrigin.check(request); // DNS rebinding: before any token is looked at
        }
        BearerTokenExtractor.Credentials presented = dpop.credentials(request);
        AccessTokenPrincipal principal = null;
        LegacyTokens.Caller legacyCaller = null;
        try {
            principal = verify(presented.token());
        } catch (OAuthException refusal) {
            // issue 10: a token that is not ours may be one of the app's legacy tokens (off unless configured)
            if (legacy == null) {
                throw refusal;
            }
            legacyCaller = legacy.validate(presented.token(), refusal);
        }
        if (principal != null) {
            dpop.check(request, response, presented, principal); // RFC 9449 §7: proof, or no bound token as Bearer
        }
        HttpServletRequest next = request;
        // The scopes the rules ask of this call, beside this guard's required ones (normally the verifier's own).
        Set<String> ruleScopes = Set.of();
        if (!rules.isEmpty() && "POST".equalsIgnoreCase(request.getMethod())) {
            Charset charset = charset(request);
            byte[] body = readBody(request);
            try {
                ruleScopes = new LinkedHashSet<>();
                for (JsonRpcInspector.Call call : inspector.calls(new String(body, charset))) {
                    ruleScopes.addAll(rules.scopesFor(call.method(), call.name(), call.uri()));
                }
            } catch (JsonRpcInspector.Malformed | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "request body refused: {0}", e.getMessage());
                throw OAuthException.invalidRequest("The request body is not a JSON-RPC message the server can "
                        + "authorize");
            }
            next = new CachedBodyRequest(request, body, charset);
        }
        if (legacyCaller != null) {
            LegacyFallback.requireScopes(legacyCaller, scopes.needed(ruleScopes));
            request.setAttribute(LEGACY_CALLER_ATTRIBUTE, legacyCaller);
            return new AuthenticatedRequest(next, response, legacyCaller);
        }
        if (!scopes.heldOutright(principal, ruleScopes)) {
            // implied scopes, or the 403 naming every scope needed
            verifier.requireScopes(principal, scopes.needed(ruleScopes));
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
        return new AuthenticatedRequest(next, response, principal);
    }

    /**
     * Verifies {@code token} holding a store permit (the revocation check and the keys may need the store), so that
     * a slow store cannot take every thread; none free in time is 503 with {@code Retry-After}, never 401.
     */
    private AccessTokenPrincipal verify(String token) {
        if (!storePermits.tryAcquire()) {
            throw BearerErrors.temporarilyUnavailable();
        }
        try {
            return verifier.verify(token);
        } finally {
            storePermits.release();
        }
    }

    /** The charset the MCP servlet will decode the body with: the declared one, else UTF-8. */
    private static Charset charset(HttpServletRequest request) {
        String declared = request.getCharacterEncoding();
        if (declared == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(declared);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("Unsupported request charset");
        }
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static OAuthException tooLarge() {
        return new OAuthException(new ErrorObject("invalid_request", "The request body is too large", 413));
    }

    private static void tooManyBadTokens(HttpServletRequest request, HttpServletResponse response, Duration wait)
            throws IOException {
        EdgeWriter.refuseTooManyRequests(wait, "Too many invalid tokens", request, response);
    }

    @Override
    public String toString() {
        return "BearerGuardFilter[" + settings.resource() + ", " + rules + "]";
    }

    /** Builds a {@link BearerGuardFilter}; every setter checks its argument at once. */
    public static final class Builder {
        private final ProtectedResourceSettings settings;
        private final AccessTokenVerifier verifier;
        private McpScopeRules rules = McpScopeRules.none();
        private int maxBodyBytes = 4 * 1024 * 1024;
        private boolean allowCorsPreflight;
        private BadTokenThrottle throttle;
        private StorePermits storePermits = StorePermits.unlimited();
        private boolean checkHostAndOrigin = true;
        private LegacyFallback legacy;

        private Builder(ProtectedResourceSettings settings, AccessTokenVerifier verifier) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            if (!verifier.settings().resource().equals(settings.resource())) {
                throw new IllegalArgumentException("verifier checks tokens for " + verifier.settings().resource()
                        + ", not for " + settings.resource());
            }
        }

        /**
         * Per-method, per-tool, per-prompt and per-resource scopes (default {@link McpScopeRules#none()}); each
         * scope must be among the settings' {@code scopesSupported} when those are given.
         */
        public Builder scopeRules(McpScopeRules rules) {
            Objects.requireNonNull(rules, "scopeRules");
            if (!settings.scopesSupported().isEmpty()) {
                for (String s : rules.scopes()) {
                    if (!settings.scopesSupported().contains(s)) {
                        throw new IllegalArgumentException("scopeRules: scope " + s + " is not in scopesSupported "
                                + settings.scopesSupported());
                    }
                }
            }
            this.rules = rules;
            return this;
        }

        /**
         * The largest request body read to apply scope rules, 1 KiB to 64 MiB (default 4 MiB); a larger one is
         * answered 413. Bodies are read only when there are rules.
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be between 1024 and 67108864, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Whether CORS preflight requests ({@code OPTIONS} with {@code Origin} and
         * {@code Access-Control-Request-Method}, which browsers send without credentials) pass unauthenticated to
         * the next filter, for a CORS filter or servlet behind the guard to answer (default {@code false}: they
         * get 401 like any request without a token).
         */
        public Builder allowCorsPreflight(boolean allow) {
            this.allowCorsPreflight = allow;
            return this;
        }

        /**
         * Throttles an address that sends refused tokens (default: none; {@code McpOAuth} sets
         * {@link #DEFAULT_BAD_TOKEN_LIMIT}): past {@code limit} refused tokens it gets 429 with {@code Retry-After}
         * until the limit allows again, audited once per run as {@code RATE_LIMITED} to {@code audit}.
         */
        public Builder badTokenThrottle(RateLimit limit, TrustedProxies proxies, Clock clock, AuditListener audit) {
            this.throttle = new BadTokenThrottle(limit, proxies, clock, audit);
            return this;
        }

        /**
         * The permits token verification takes (default {@link StorePermits#unlimited()}; {@code McpOAuth} shares
         * its store permits with its guards): held only while the token is verified, never while a body is read.
         */
        public Builder storePermits(StorePermits storePermits) {
            this.storePermits = Objects.requireNonNull(storePermits, "storePermits");
            return this;
        }

        /**
         * Whether {@code Host} and {@code Origin} are checked against the settings' allowed hosts and origins
         * before any token (default true: the DNS rebinding defence); turn off only behind a proxy that does it.
         */
        public Builder checkHostAndOrigin(boolean check) {
            this.checkHostAndOrigin = check;
            return this;
        }

        /** The app's validator of tokens that are not ours (default none); see {@link LegacyTokens}. */
        public Builder legacyTokens(LegacyTokens tokens) {
            this.legacy = new LegacyFallback(tokens);
            return this;
        }

        /** The guard. */
        public BearerGuardFilter build() {
            return new BearerGuardFilter(this);
        }
    }
}
