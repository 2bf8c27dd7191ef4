package io.github.mcpoauth.core;

import io.github.mcpoauth.core.internal.authorization.AuthorizationEndpoint;
import io.github.mcpoauth.core.internal.authorization.WarmUp;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.internal.client.ClientAuthenticator;
import io.github.mcpoauth.core.internal.client.ClientKeySource;
import io.github.mcpoauth.core.internal.client.PrivateKeyJwtVerifier;
import io.github.mcpoauth.core.internal.client.ReplayCache;
import io.github.mcpoauth.core.internal.client.RegistrationHandler;
import io.github.mcpoauth.core.client.document.MetadataDocumentClients;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.metadata.AuthorizationServerMetadataEndpoint;
import io.github.mcpoauth.core.internal.revocation.GrantStateCache;
import io.github.mcpoauth.core.resource.RevocationCheck;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.StoreCleanup;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import io.github.mcpoauth.core.internal.token.IntrospectionEndpoint;
import io.github.mcpoauth.core.internal.token.RevocationEndpoint;
import io.github.mcpoauth.core.internal.token.SameAppResources;
import io.github.mcpoauth.core.internal.token.TokenEndpoint;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcpoauth.core.internal.token.GrantHandler;
import io.github.mcpoauth.core.internal.token.TrustedIssuer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One OAuth 2.1 authorization server for MCP, framework-neutral: every endpoint's logic, wired to one set of
 * settings, stores and listeners. The servlet module mounts it; other frameworks can too. Instances share
 * nothing: two servers in one JVM are independent.
 *
 * <p>Each server has one daemon housekeeping thread, which {@link #close()} stops: it re-reads the signing keys in
 * the background (requests are served from memory) and runs the store cleanup every
 * {@link AuthorizationServerSettings#cleanupInterval()}, on by default for the stores the server makes itself (in
 * memory) and for any {@link Builder#cleanup} the host hands it.
 *
 * <pre>{@code
 * AuthorizationServer server = AuthorizationServer.builder()
 *     .settings(AuthorizationServerSettings.builder().issuer("https://example.com").build())
 *     .build();   // in-memory stores, audit events logged
 * }</pre>
 *
 * <p>The endpoint accessors ({@link #token()}, {@link #authorization()}, …) return types of packages that the
 * module exports to mcp-oauth-servlet only: they are how the servlet module mounts this server, not API.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1">OAuth 2.1</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization">MCP authorization</a>
 */
public final class AuthorizationServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AuthorizationServer.class.getName());
    /** The longest a warm-up runs ({@link Builder#warmUpFlows}). */

    private final AuthorizationServerSettings settings;
    private final Stores stores;
    private final SigningKeys signingKeys;
    private final AccessTokens accessTokens;
    private final AuthorizationServerMetadataEndpoint metadata;
    private final RegistrationHandler registration;
    private final AuthorizationEndpoint authorization;
    private final TokenEndpoint token;
    private final RevocationEndpoint revocation;
    private final IntrospectionEndpoint introspection;
    private final AuditListener audit;
    private final GrantStateCache revocationCheck;
    private final MachineClients machineClients;
    /** One daemon thread: the scheduled cleanup and the signing keys' background re-reads. */
    private final ScheduledExecutorService housekeeping;
    private final boolean cleanupScheduled;

    private AuthorizationServer(Builder b) {
        this.settings = b.settings;
        this.audit = AuditListener.guarded(b.audit);
        StoreCleanup cleanup = b.cleanup;
        Stores base = b.stores;
        if (base == null) {
            InMemoryStores memory = InMemoryStores.newBuilder(settings.clock()).auditListener(audit).build();
            base = memory.stores();
            cleanup = memory.cleanup();
        }
        // Stores whose client store already resolves documents (configured by the host) are taken as they are.
        this.stores = b.clientIdMetadataDocuments && !(base.clients() instanceof MetadataDocumentClients)
                ? base.withClients(MetadataDocumentClients.wrap(base.clients(), settings)) : base;
        Secrets secrets = b.secrets;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-oauth-housekeeping");
            t.setDaemon(true);
            return t;
        });
        this.cleanupScheduled = cleanup != null && !settings.cleanupInterval().isZero();
        if (cleanupScheduled) {
            cleanup.schedule(housekeeping, settings.cleanupInterval(), settings.cleanupInterval());
        }
        this.signingKeys = SigningKeys.create(stores.keys(), settings.clock(), settings.accessTokenLifetime(),
                settings.signingKeyRotation(), housekeeping, settings.signingAlgorithm());
        // Cached in front of a store that keeps a revocation log (JDBC), fed by a thread of its own: see close().
        this.revocationCheck = GrantStateCache.forStore(stores.grants(), settings.clock(), Ticker.systemTicker());
        this.accessTokens = new AccessTokens(settings, signingKeys, secrets,
                SameAppResources.of(settings, b.sameAppResources.apply(settings)), revocationCheck::grantClaims);
        accessTokens.prepareKeys(); // the first key made now, not in the first token request (issue 13, item 2)
        // One replay cache for every signed assertion this server accepts (client assertions, grant assertions).
        ReplayCache replay = new ReplayCache(settings.clock(), 100_000);
        ClientAuthenticator authenticator = new ClientAuthenticator(stores.clients(), settings.clock(), audit,
                new PrivateKeyJwtVerifier(settings, replay, keySource()));
        List<GrantHandler<?>> handlers = new ArrayList<>(TokenEndpoint.builtIn(settings, stores, accessTokens,
                secrets, audit));
        if (!b.trustedIssuers.isEmpty()) {
            handlers.add(TokenEndpoint.jwtBearer(settings, stores, accessTokens, secrets, audit, replay,
                    List.copyOf(b.trustedIssuers.values())));
        }
        this.token = new TokenEndpoint(settings, authenticator, b.senderConstraint, handlers, secrets);
        this.metadata = new AuthorizationServerMetadataEndpoint(settings, signingKeys, b.clientIdMetadataDocuments,
                token.grantTypes());
        this.registration = new RegistrationHandler(settings, stores.clients(), secrets, audit, keySource() != null);
        this.authorization = new AuthorizationEndpoint(settings, stores, secrets, audit);
        this.revocation = new RevocationEndpoint(settings, stores, authenticator, accessTokens, audit);
        this.introspection = new IntrospectionEndpoint(settings, stores, authenticator, accessTokens);
        this.machineClients = new MachineClients(settings, stores.clients(), secrets, audit);
        // Issue 13, item 2: one flow on a throwaway server now, the rest on the housekeeping thread.
        WarmUp.start(settings, b.sameAppResources, b.warmUpFlows, housekeeping);
    }

    /** Where {@code jwks_uri} keys come from: the client store, when it fetches client ID metadata documents. */
    private ClientKeySource keySource() {
        return stores.clients() instanceof ClientKeySource source ? source : null;
    }

    /**
     * Stops the housekeeping thread (scheduled cleanup, background re-reads of the signing keys) and the
     * revocation feed's thread, if one runs; the endpoints keep working, reading keys on the request thread and
     * the revocation check reading the grant store on every call. Idempotent. The stores are the host's to close
     * (a JDBC pool, say).
     */
    @Override
    public void close() {
        revocationCheck.close();
        housekeeping.shutdown(); // the periodic cleanup is cancelled; a queued key re-read still runs
        try {
            if (!housekeeping.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "housekeeping did not stop within 10 seconds; interrupting it");
                housekeeping.shutdownNow();
            }
        } catch (InterruptedException e) {
            housekeeping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a store cleanup runs on this server's schedule now (one was given or made, and not closed). */
    public boolean housekeepingRunning() {
        return cleanupScheduled && !housekeeping.isShutdown();
    }

    /**
     * Where this server's audit events go: the configured listener, guarded so that its failures never fail a
     * request. Hosts that emit events of their own (the servlet module's rate limiters) use it too.
     */
    public AuditListener auditListener() {
        return audit;
    }

    /**
     * The revocation check of a resource server in the same application: a token is active while its grant
     * ({@code gid}) is live in this server's grant store and belongs to the same client and subject. Hand it to
     * {@code AccessTokenVerifier.Builder.revocationCheck} so that a revoked grant is refused on the next request.
     *
     * <p>On a store that keeps a revocation log (the JDBC stores), a grant's state is cached after its first check
     * on this node, so that a known token costs no database round trip; a revocation through this server is seen
     * at once, one made on another node within one second (a feed thread reads the log every 250 ms, and while it
     * cannot, every check reads the store). See docs/storage.md, "Revocation across nodes".
     */
    public RevocationCheck revocationCheck() {
        return revocationCheck;
    }

    /**
     * The administrator's API for machine clients ({@code client_credentials}, with a secret or
     * {@code private_key_jwt}): register, list, rotate, delete.
     */
    public MachineClients machineClients() {
        return machineClients;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings. */
    public AuthorizationServerSettings settings() {
        return settings;
    }

    /** The stores. */
    public Stores stores() {
        return stores;
    }

    /** The signing keys; a resource server in the same app verifies tokens against {@code publicJwks()}. */
    public SigningKeys signingKeys() {
        return signingKeys;
    }

    /** The access token issuer and reader. */
    public AccessTokens accessTokens() {
        return accessTokens;
    }

    /** RFC 8414 metadata and the JWK Set. */
    public AuthorizationServerMetadataEndpoint metadata() {
        return metadata;
    }

    /** RFC 7591 dynamic client registration. */
    public RegistrationHandler registration() {
        return registration;
    }

    /** The authorization endpoint's decisions. */
    public AuthorizationEndpoint authorization() {
        return authorization;
    }

    /** The token endpoint. */
    public TokenEndpoint token() {
        return token;
    }

    /** RFC 7009 revocation. */
    public RevocationEndpoint revocation() {
        return revocation;
    }

    /** RFC 7662 introspection. */
    public IntrospectionEndpoint introspection() {
        return introspection;
    }

    /** Builds an {@link AuthorizationServer}; only the settings are required. */
    public static final class Builder {
        private AuthorizationServerSettings settings;
        private Stores stores;
        private AuditListener audit = AuditListener.logging();
        private Secrets secrets = Secrets.create();
        private boolean clientIdMetadataDocuments = true;
        private StoreCleanup cleanup;
        private final Map<String, TrustedIssuer> trustedIssuers = new LinkedHashMap<>();
        private TokenEndpoint.SenderConstraint senderConstraint; // null: DPoP as the settings say
        private Function<AuthorizationServerSettings, ? extends Collection<URI>> sameAppResources = s -> List.of();
        private int warmUpFlows = 1;

        private Builder() {
        }

        /**
         * Trusts the workload identity provider {@code issuer} (Kubernetes, GitHub Actions, a cloud IAM) for the JWT
         * bearer grant (RFC 7523 §2.1): a client registered for that grant (a {@link MachineClients machine
         * client}) exchanges a JWT the provider signed with one of {@code publicKeys} for an access token whose
         * subject is what {@code subjectMapping} makes of the verified claims (empty refuses the assertion). See
         * docs/machine-clients.md.
         *
         * @throws IllegalArgumentException if the issuer is blank or already configured, or there is no key
         */
        public Builder workloadIssuer(String issuer, JWKSet publicKeys,
                Function<JWTClaimsSet, Optional<String>> subjectMapping) {
            return trust(new TrustedIssuer(issuer, publicKeys, subjectMapping, TrustedIssuer.Kind.WORKLOAD));
        }

        /**
         * Trusts the enterprise identity provider {@code issuer} for enterprise-managed authorization (SEP-990): a
         * client exchanges an ID-JAG ({@code typ} {@code oauth-id-jag+jwt}) the provider signed with one of
         * {@code publicKeys}, issued to that client for this server and one of its resources, through the JWT
         * bearer grant; {@code userMapping} maps its claims to the local user (empty refuses it). See
         * docs/enterprise-managed-authorization.md.
         *
         * @throws IllegalArgumentException if the issuer is blank or already configured, or there is no key
         */
        public Builder enterpriseIdentityProvider(String issuer, JWKSet publicKeys,
                Function<JWTClaimsSet, Optional<String>> userMapping) {
            return trust(new TrustedIssuer(issuer, publicKeys, userMapping, TrustedIssuer.Kind.ENTERPRISE));
        }

        private Builder trust(TrustedIssuer issuer) {
            if (trustedIssuers.putIfAbsent(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + " is already configured");
            }
            return this;
        }

        /**
         * The proof-of-possession step of the token endpoint (DPoP, RFC 9449): mcp-oauth's own modules set it;
         * the default issues bearer tokens.
         */
        Builder senderConstraint(TokenEndpoint.SenderConstraint senderConstraint) {
            this.senderConstraint = Objects.requireNonNull(senderConstraint, "senderConstraint");
            return this;
        }

        /**
         * The housekeeping to run every {@link AuthorizationServerSettings#cleanupInterval()} for stores the host
         * passed, e.g. {@code jdbcStores.cleanup()} (default: none for host stores; the server's own in-memory
         * stores always get theirs). Several nodes may run it at once.
         */
        public Builder cleanup(StoreCleanup cleanup) {
            this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
            return this;
        }

        /**
         * Whether clients may use an https URL serving a client ID metadata document as their {@code client_id}
         * instead of registering (draft-ietf-oauth-client-id-metadata-document, MCP 2025-11-25; default true). The
         * documents are fetched with SSRF defences: see {@link MetadataDocumentClients}.
         */
        public Builder clientIdMetadataDocuments(boolean enabled) {
            this.clientIdMetadataDocuments = enabled;
            return this;
        }

        /**
         * The resources of the settings whose bearer guard runs in this application with a verifier of this server
         * (default none; {@code McpOAuth} sets the ones it guards): a token whose every audience is among them is
         * a compact token MAC'd (HMAC-SHA256) under a secret derived from the signing key, not a signed JWT, as no
         * one else verifies it. {@link AuthorizationServerSettings.Builder#sameAppTokens(boolean)} turns this off.
         * {@code resources} is applied to the settings at build, which fails if one is not a resource of them.
         */
        public Builder sameAppResources(Function<AuthorizationServerSettings, ? extends Collection<URI>> resources) {
            this.sameAppResources = Objects.requireNonNull(resources, "sameAppResources");
            return this;
        }

        /** The settings (required). */
        public Builder settings(AuthorizationServerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The stores (default: {@link InMemoryStores#create} on the settings' clock). */
        public Builder stores(Stores stores) {
            this.stores = Objects.requireNonNull(stores, "stores");
            return this;
        }

        /** Where audit events go (default: {@link AuditListener#logging()}). */
        public Builder auditListener(AuditListener audit) {
            this.audit = Objects.requireNonNull(audit, "auditListener");
            return this;
        }

        /**
         * How many whole flows (registration, authorization, code exchange, refresh) to run at start on a throwaway
         * server with stores of its own (0 to 10,000, default 1; nothing is stored in this server's stores): the
         * first during {@link #build()}, so that the first request finds every class and provider initialized; the
         * others in the background, within 5 s, so that the JIT has compiled the token path before the load comes
         * (see docs/performance.md). 0 turns the warm-up off.
         */
        public Builder warmUpFlows(int flows) {
            this.warmUpFlows = BuilderChecks.intBetween("warmUpFlows", flows, 0, 10_000);
            return this;
        }

        /** The source of secrets (default: {@link Secrets#create()}). */
        public Builder secrets(Secrets secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /** Builds the server. */
        public AuthorizationServer build() {
            if (settings == null) {
                throw new IllegalStateException("settings is required");
            }
            return new AuthorizationServer(this);
        }
    }
}
