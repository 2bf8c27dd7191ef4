package io.github.mcpoauth.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import io.github.mcpoauth.client.internal.Challenge;
import io.github.mcpoauth.client.internal.Discovery;
import io.github.mcpoauth.client.internal.Http;
import io.github.mcpoauth.client.internal.Urls;

/**
 * The OAuth side of one MCP server, for any HTTP stack: put {@link #authorizationHeader()} on each request, and
 * give every 401 and 403 to {@link #handleAuthorizationError}; when it returns true, send the request again.
 *
 * <p>On a 401 it refreshes the token if it can, else discovers the authorization server (RFC 9728, RFC 8414),
 * registers (pre-registered, client ID metadata document, or RFC 7591) and runs the configured grant: the
 * authorization code grant with PKCE and a loopback redirect (the default), {@code client_credentials}, or the JWT
 * bearer grant. On a 403 {@code insufficient_scope} it authorizes again for the union of held and required scopes,
 * at most {@value #MAX_ATTEMPTS} authorizations per chain. Concurrent callers that hit the same expired token share
 * one refresh. Tokens, codes and secrets are never logged.
 *
 * <p>With the MCP Java SDK, {@code McpSdkAuthorization.configure(transportBuilder, client)} does the wiring.
 */
public final class McpOAuthClient {

    /** The most authorizations one operation may trigger (the first one included) before the client gives up. */
    public static final int MAX_ATTEMPTS = 3;
    private static final int MAX_CHAIN = 10;
    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(McpOAuthClient.class.getName());

    private final URI serverUrl;
    private final String key;
    private final TokenStore store;
    private final Clock clock;
    private final Discovery discovery;
    private final Grants grants;
    private final DpopProofs dpop;
    private final ReentrantLock lock = new ReentrantLock();
    private final AttemptBudget budget;
    private Discovery.Result discovered;
    private Set<String> asked = Set.of();

    private McpOAuthClient(Builder b) {
        this.serverUrl = b.serverUrl;
        this.key = b.serverUrl.toString();
        this.store = b.store;
        this.clock = b.clock;
        this.budget = new AttemptBudget(b.clock, MAX_ATTEMPTS, MAX_CHAIN);
        HttpClient httpClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.requestTimeout).build();
        Http http = new Http(httpClient, b.requestTimeout, b.maxDocumentBytes);
        this.discovery = new Discovery(http);
        this.dpop = b.dpop ? new DpopProofs(b.clock) : null;
        Registrar registrar = new Registrar(http, b.store, b.clientName, Optional.ofNullable(b.preRegistered),
                Optional.ofNullable(b.clientMetadataDocument));
        TokenRequests tokens = new TokenRequests(http, b.clock, dpop);
        this.grants = new Grants(b.store, registrar, tokens,
                new AuthorizationCodeFlow(tokens, b.urlHandler, b.loginTimeout), b.machineClient, b.assertions);
    }

    /** @param serverUrl the MCP endpoint, e.g. {@code https://mcp.example.com/mcp} */
    public static Builder builder(URI serverUrl) {
        return new Builder(serverUrl);
    }

    /** @return the MCP endpoint this client authorizes for */
    public URI serverUrl() {
        return serverUrl;
    }

    /**
     * The {@code Authorization} header value for the next request ({@code Bearer …}, or {@code DPoP …} whose proof
     * {@link #authorizationHeaders} adds), refreshing first when the token expires within 30 seconds; empty before
     * the first authorization (the server's 401 starts it).
     */
    public Optional<String> authorizationHeader() {
        return current().map(t -> t.tokenType() + " " + t.accessToken());
    }

    /**
     * All authorization headers for a request: {@code Authorization}, and with DPoP a fresh {@code DPoP} proof for
     * this method and URL (RFC 9449 §7.1). Empty before the first authorization.
     */
    public Map<String, String> authorizationHeaders(String method, URI uri) {
        Optional<StoredTokens> held = current();
        if (held.isEmpty()) {
            return Map.of();
        }
        StoredTokens t = held.get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", t.tokenType() + " " + t.accessToken());
        if (dpop != null && "DPoP".equals(t.tokenType())) {
            headers.put("DPoP", dpop.proof(method, uri, t.accessToken()));
        }
        return Map.copyOf(headers);
    }

    private Optional<StoredTokens> current() {
        Optional<StoredTokens> held = store.tokens(key);
        if (held.isPresent() && expiresSoon(held.get()) && held.get().refreshToken().isPresent()) {
            lock.lock();
            try {
                Optional<StoredTokens> again = store.tokens(key);
                if (again.isPresent() && again.get().accessToken().equals(held.get().accessToken())) {
                    refreshAhead(again.get());
                }
                held = store.tokens(key);
            } finally {
                lock.unlock();
            }
        }
        return held;
    }

    /**
     * {@link #handleAuthorizationError(int, List, Optional)} with all response headers, so that a resource server's
     * {@code DPoP-Nonce} (RFC 9449 §9) is taken into account.
     */
    public boolean handleAuthorizationError(int status, HttpHeaders responseHeaders,
            Optional<String> sentAuthorization) {
        Challenge challenge = Challenge.parse(responseHeaders.allValues("WWW-Authenticate"));
        Optional<String> nonce = responseHeaders.firstValue("DPoP-Nonce");
        if (dpop != null && nonce.isPresent()) {
            dpop.rememberNonce(serverUrl, nonce.get());
            if (status == 401 && challenge.error().filter("use_dpop_nonce"::equals).isPresent()) {
                lock.lock();
                try {
                    budget.spendOnNonce(sentToken(sentAuthorization));
                } finally {
                    lock.unlock();
                }
                return true; // just retry with a proof carrying the nonce
            }
        }
        return handleAuthorizationError(status, responseHeaders.allValues("WWW-Authenticate"), sentAuthorization);
    }

    /**
     * Handles a 401 or 403 answer of the MCP server.
     *
     * @param status the HTTP status
     * @param wwwAuthenticate the {@code WWW-Authenticate} header values
     * @param sentAuthorization the {@code Authorization} header the failed request carried, if any
     * @return true when the request should be sent again (with a new {@link #authorizationHeader()}), false when
     *         the answer is not one authorization can fix (a 403 without {@code insufficient_scope})
     * @throws ClientAuthorizationException when authorization failed, or step-up did not converge
     */
    public boolean handleAuthorizationError(int status, List<String> wwwAuthenticate,
            Optional<String> sentAuthorization) {
        Challenge challenge = Challenge.parse(wwwAuthenticate == null ? List.of() : wwwAuthenticate);
        Optional<String> sent = sentToken(sentAuthorization);
        lock.lock();
        try {
            Optional<StoredTokens> held = store.tokens(key);
            if (held.isPresent() && !sent.map(held.get().accessToken()::equals).orElse(false)) {
                return true; // another caller got or renewed the token meanwhile: just retry with it
            }
            if (status == 401) {
                budget.rejected(sent);
                budget.spendOnUnauthorized();
                if (held.isPresent() && sent.isPresent() && held.get().refreshToken().isPresent()
                        && refresh(held.get())) {
                    store.tokens(key).ifPresent(t -> budget.issued(t.accessToken()));
                    return true;
                }
                authorize(challenge, requestedScopes(challenge, held, false));
                return true;
            }
            if (status == 403 && challenge.error().filter("insufficient_scope"::equals).isPresent()) {
                budget.rejected(sent);
                Set<String> wanted = scopes(challenge.scope().orElse(""));
                budget.spendOnInsufficientScope(!asked.containsAll(wanted), challenge.scope().orElse(""));
                authorize(challenge, requestedScopes(challenge, held, true));
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the tokens of this server (its registrations are kept). */
    public void signOut() {
        store.removeTokens(key);
    }

    private Set<String> requestedScopes(Challenge challenge, Optional<StoredTokens> held, boolean union) {
        Set<String> out = new LinkedHashSet<>();
        if (union) {
            held.ifPresent(t -> out.addAll(t.scopes()));
        }
        challenge.scope().ifPresent(s -> out.addAll(scopes(s)));
        return out;
    }

    private void authorize(Challenge challenge, Set<String> scopes) {
        Discovery.Result result = discovery.discover(serverUrl, challenge);
        discovered = result;
        Set<String> requested = new LinkedHashSet<>(scopes);
        if (requested.isEmpty()) {
            requested.addAll(result.scopesSupported());
        }
        asked = Set.copyOf(requested);
        StoredTokens issued = grants.authorize(result, requested);
        store.saveTokens(key, issued);
        budget.issued(issued.accessToken());
        LOG.log(System.Logger.Level.DEBUG, "authorized for {0} at {1}, scopes {2}", serverUrl,
                result.server().issuer(), issued.scopes());
    }

    /**
     * Refreshes (RFC 6749 §6); false when the grant or the client was refused, so that the caller authorizes anew.
     * A passing failure (a timeout, a 5xx) is thrown and the tokens are kept for the next try.
     */
    private boolean refresh(StoredTokens held) {
        if (discovered == null) {
            discovered = discovery.discover(serverUrl, Challenge.none());
        }
        Optional<StoredTokens> renewed = discovered.server().issuer().equals(held.issuer())
                ? grants.refresh(discovered, held) : Optional.empty(); // else: the server moved to another AS
        if (renewed.isEmpty()) {
            store.removeTokens(key);
            return false;
        }
        store.saveTokens(key, renewed.get());
        return true;
    }

    /** Refreshes ahead of expiry; a passing failure keeps the held token, which is still valid for a while. */
    private void refreshAhead(StoredTokens held) {
        try {
            refresh(held);
        } catch (ClientAuthorizationException e) {
            LOG.log(System.Logger.Level.DEBUG, "refresh ahead of expiry for {0} failed, keeping the token: {1}",
                    serverUrl, e.getMessage());
        }
    }

    private static Optional<String> sentToken(Optional<String> authorization) {
        return authorization.map(String::trim).filter(h -> h.indexOf(' ') > 0)
                .map(h -> h.substring(h.indexOf(' ') + 1));
    }

    private boolean expiresSoon(StoredTokens t) {
        return t.expiresAt().map(e -> !clock.instant().plus(REFRESH_AHEAD).isBefore(e)).orElse(false);
    }

    private static Set<String> scopes(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : value.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Builds a {@link McpOAuthClient}; every setter fails fast naming the bad field. */
    public static final class Builder {
        private final URI serverUrl;
        private String clientName = "mcp-oauth-client";
        private TokenStore store = TokenStore.inMemory();
        private Clock clock = Clock.systemUTC();
        private AuthorizationUrlHandler urlHandler = AuthorizationUrlHandler.systemBrowser();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration loginTimeout = Duration.ofMinutes(5);
        private int maxDocumentBytes = 256 * 1024;
        private ClientCredentials preRegistered;
        private URI clientMetadataDocument;
        private ClientCredentials machineClient;
        private AssertionSource assertions;
        private boolean dpop;

        private Builder(URI serverUrl) {
            // codes, secrets and refresh tokens go to this origin in the 2025-03-26 fallback: https unless loopback
            this.serverUrl = Urls.requireHttps(Objects.requireNonNull(serverUrl, "serverUrl"), "serverUrl");
        }

        /** The {@code client_name} sent in dynamic registration. */
        public Builder clientName(String clientName) {
            this.clientName = requireText(clientName, "clientName");
            return this;
        }

        /** Where registrations and tokens are kept; {@link TokenStore#inMemory()} by default. */
        public Builder tokenStore(TokenStore store) {
            this.store = Objects.requireNonNull(store, "tokenStore");
            return this;
        }

        /** The clock for expiry and assertions. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who opens the authorization URL; {@link AuthorizationUrlHandler#systemBrowser()} by default. */
        public Builder authorizationUrlHandler(AuthorizationUrlHandler handler) {
            this.urlHandler = Objects.requireNonNull(handler, "authorizationUrlHandler");
            return this;
        }

        /** Timeout of every discovery, registration and token request (10 s by default). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long to wait for the user to complete the login (5 min by default). */
        public Builder loginTimeout(Duration timeout) {
            this.loginTimeout = positive(timeout, "loginTimeout");
            return this;
        }

        /** The largest metadata, registration or token response read (256 KiB by default). */
        public Builder maxDocumentBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxDocumentBytes must be at least 1024, was " + bytes);
            }
            this.maxDocumentBytes = bytes;
            return this;
        }

        /** Credentials registered out of band, used with the first authorization server discovered only. */
        public Builder preRegistered(ClientCredentials credentials) {
            this.preRegistered = Objects.requireNonNull(credentials, "preRegistered");
            return this;
        }

        /** The https URL of this client's metadata document, used as client_id where servers support it. */
        public Builder clientMetadataDocument(URI url) {
            Objects.requireNonNull(url, "clientMetadataDocument");
            if (!"https".equalsIgnoreCase(url.getScheme()) || url.getRawPath() == null
                    || url.getRawPath().length() < 2) {
                throw new IllegalArgumentException("clientMetadataDocument must be an https URL with a path: " + url);
            }
            this.clientMetadataDocument = url;
            return this;
        }

        /** Machine-to-machine: the {@code client_credentials} grant instead of a browser login. */
        public Builder clientCredentialsGrant(ClientCredentials credentials) {
            this.machineClient = Objects.requireNonNull(credentials, "clientCredentialsGrant");
            this.assertions = null;
            return this;
        }

        /**
         * The JWT bearer grant (RFC 7523 §2.1): workload identity, or enterprise-managed authorization with
         * {@link EnterpriseAuthorization#idJag}.
         */
        public Builder jwtBearerGrant(ClientCredentials credentials, AssertionSource source) {
            this.machineClient = Objects.requireNonNull(credentials, "jwtBearerGrant credentials");
            this.assertions = Objects.requireNonNull(source, "jwtBearerGrant source");
            return this;
        }

        /**
         * Sender-constrained tokens (RFC 9449): a DPoP proof on every token request and every MCP request, with
         * the authorization server's and the resource server's nonces. Use {@link #authorizationHeaders}.
         */
        public Builder dpop(boolean enabled) {
            this.dpop = enabled;
            return this;
        }

        /** @return the client */
        public McpOAuthClient build() {
            return new McpOAuthClient(this);
        }

        private static String requireText(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static Duration positive(Duration d, String field) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
            return d;
        }
    }
}
