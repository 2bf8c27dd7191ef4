package io.github.mcpoauth.core.client.document;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.client.ClientKeySource;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.internal.settings.BuilderChecks;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.lang.System.Logger.Level;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * A {@link ClientStore} that also knows every client identified by a client ID metadata document: a
 * {@code client_id} that is an https URL is resolved by fetching the JSON document at that URL, checking it, and
 * caching the client it describes. Every other id, and every URL the wrapped store already holds (a pre-registered
 * client identifier URL), is answered by the wrapped store, which is also where {@link #save} and {@link #delete}
 * go.
 *
 * <pre>{@code
 * Stores stores = InMemoryStores.create(settings.clock());
 * AuthorizationServer server = AuthorizationServer.builder()
 *     .settings(settings)
 *     .stores(stores.withClients(MetadataDocumentClients.wrap(stores.clients(), settings)))
 *     .build();
 * }</pre>
 *
 * <p><b>What is accepted.</b> The URL: {@code https}, a host, an optional port, a path without dot segments, no
 * user info, query or fragment, at most 512 characters. The response: {@code 200} (redirects are never
 * followed, as the draft requires), a JSON media type, at most {@link Builder#maxDocumentSize} bytes, all within
 * {@link Builder#timeout}. The document: see the policy below; its {@code client_id} must equal the URL exactly.
 * The resulting client is public ({@code none}), has the document's redirect URIs, {@code authorization_code}
 * (and {@code refresh_token} if listed), the listed scopes the server knows, and its {@code client_name}.
 *
 * <p><b>Server-side request forgery.</b> The host's addresses are resolved by the {@link AddressPolicy.HostResolver}
 * and the fetch is refused if any of them fails the {@link AddressPolicy} (by default: anything not globally routable,
 * such as loopback, private, link-local and cloud metadata addresses). The connection is then made to a vetted
 * address, not to the name, so DNS rebinding cannot turn it elsewhere; TLS still authenticates the host name.
 * Nothing named inside the document is fetched but the {@code jwks_uri} of {@code private_key_jwt} clients
 * (registered or documents), by the same fetcher, when they authenticate (docs/machine-clients.md). At most
 * {@link Builder#maxConcurrentFetches} fetches run at once, and concurrent look-ups of one URL share one fetch.
 *
 * <p><b>Failure.</b> Any failure makes the client unknown, so the authorization endpoint shows its local error
 * page and never redirects; the reason is logged ({@code System.Logger}, level INFO, logger named after this
 * class), never the document's content. Failures are not cached, as the draft requires: the next look-up fetches
 * again.
 *
 * <p><b>Caching.</b> A valid document is cached for its {@code Cache-Control: max-age} (less {@code Age}),
 * clamped to [{@link Builder#minCacheLifetime}, {@link Builder#maxCacheLifetime}] (default 5 minutes to 24
 * hours); {@code no-store} and {@code no-cache} get the minimum; no header gets
 * {@link Builder#defaultCacheLifetime} (1 hour). Expiry follows the settings' clock. {@link #delete} drops a cached
 * document as well, to force a fresh fetch.
 *
 * @see <a href="https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/">OAuth Client ID
 *     Metadata Document</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization
 *     2025-11-25, Client ID Metadata Documents</a>
 */
public final class MetadataDocumentClients implements ClientStore, ClientKeySource, AutoCloseable {

    /** The default and recommended largest document, in bytes (the draft recommends reading at most 5 KB). */
    public static final int DEFAULT_MAX_DOCUMENT_SIZE = 5 * 1024;

    private static final System.Logger LOG = System.getLogger(MetadataDocumentClients.class.getName());

    private final ClientStore delegate;
    private final Clock clock;
    private final DocumentFetcher fetcher;
    private final KeySetFetcher keySets;
    private final ClientDocuments documents;
    private final Cache<String, Cached> cache;
    private final ConcurrentMap<String, CompletableFuture<Optional<RegisteredClient>>> inFlight =
            new ConcurrentHashMap<>();
    private final Semaphore fetchSlots;
    private final Duration minLifetime;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final Duration waitLimit;

    private MetadataDocumentClients(Builder b) {
        this.delegate = b.delegate;
        this.clock = b.settings.clock();
        this.documents = new ClientDocuments(b.settings.scopes());
        this.fetcher = DocumentFetcher.start(b.resolver, b.addressPolicy, sslContext(b).getSocketFactory(),
                b.timeout, b.maxDocumentSize, b.maxConcurrentFetches, b.ticker);
        this.keySets = new KeySetFetcher(fetcher, clock, b.maximumCachedClients);
        this.cache = Caches.builder()
                .maximumSize(b.maximumCachedClients)
                .ticker(ClockTicker.of(clock))
                .expireAfter(new Expiry<String, Cached>() {
                    @Override
                    public long expireAfterCreate(String key, Cached value, long currentTime) {
                        return value.lifetime().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Cached value, long currentTime, long currentDuration) {
                        return value.lifetime().toNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Cached value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
        this.fetchSlots = new Semaphore(b.maxConcurrentFetches);
        this.minLifetime = b.minCacheLifetime;
        this.defaultLifetime = b.defaultCacheLifetime;
        this.maxLifetime = b.maxCacheLifetime;
        this.waitLimit = b.timeout.plusSeconds(1);
    }

    /** A new builder; {@link Builder#delegate} and {@link Builder#settings} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code delegate} decorated with every default: the production setup. */
    public static MetadataDocumentClients wrap(ClientStore delegate, AuthorizationServerSettings settings) {
        return builder().delegate(delegate).settings(settings).build();
    }

    /** Saves to the wrapped store; an https {@code client_id} saved there is a pre-registered one and wins. */
    @Override
    public void save(RegisteredClient client) {
        delegate.save(client);
        cache.invalidate(client.clientId().getValue());
    }

    /**
     * The client from the wrapped store if it has it; else, for a client identifier URL, the client its metadata
     * document describes (from the cache, or fetched now, blocking for at most the timeout); else empty. Never
     * throws for a bad or unreachable document; failures of the wrapped store propagate.
     */
    @Override
    public Optional<RegisteredClient> findById(ClientID clientId) {
        Objects.requireNonNull(clientId, "clientId");
        Optional<RegisteredClient> local = delegate.findById(clientId);
        String value = clientId.getValue();
        if (local.isPresent() || !ClientIdUrl.looksLikeOne(value)) {
            return local;
        }
        ClientIdUrl url;
        try {
            url = ClientIdUrl.parse(value);
        } catch (OAuthException e) {
            LOG.log(Level.DEBUG, () -> "Client identifier URL refused: " + e.getMessage());
            return Optional.empty();
        }
        Cached cached = cache.getIfPresent(url.value());
        return cached != null ? Optional.of(cached.client()) : fetchOnce(url);
    }

    /** Deletes from the wrapped store and forgets any cached document for this id. */
    @Override
    public void delete(ClientID clientId) {
        delegate.delete(clientId);
        cache.invalidate(clientId.getValue());
    }

    /** The wrapped store's clients; those resolved from documents are never saved, so never listed. */
    @Override
    public java.util.List<RegisteredClient> findAll() {
        return delegate.findAll();
    }

    /** The keys at a {@code private_key_jwt} client's {@code jwks_uri}, fetched as documents are. */
    @Override
    public com.nimbusds.jose.jwk.JWKSet keys(java.net.URI jwksUri, String kid) {
        return keySets.keys(jwksUri, kid);
    }

    /** Stops the threads that fetch documents; look-ups of client identifier URLs then find nothing. */
    @Override
    public void close() {
        fetcher.close();
    }

    /** Fetches {@code url}, or waits for the fetch of it already under way. */
    private Optional<RegisteredClient> fetchOnce(ClientIdUrl url) {
        CompletableFuture<Optional<RegisteredClient>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<RegisteredClient>> running = inFlight.putIfAbsent(url.value(), mine);
        if (running != null) {
            try {
                return running.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (ExecutionException | TimeoutException e) {
                return Optional.empty();
            }
        }
        Optional<RegisteredClient> result = Optional.empty();
        try {
            // A fetch that finished between our cache miss and our claim has cached its client already.
            Cached cached = cache.getIfPresent(url.value());
            result = cached != null ? Optional.of(cached.client()) : fetch(url);
        } finally {
            mine.complete(result);
            inFlight.remove(url.value(), mine);
        }
        return result;
    }

    private Optional<RegisteredClient> fetch(ClientIdUrl url) {
        if (!fetchSlots.tryAcquire()) {
            LOG.log(Level.INFO, "Client ID metadata document {0} not fetched: too many fetches under way",
                    url.value());
            return Optional.empty();
        }
        try {
            DocumentFetcher.Fetched fetched = fetcher.fetch(url);
            RegisteredClient client = documents.toClient(url, fetched.json(), clock.instant());
            Duration lifetime = lifetime(fetched.freshness());
            cache.put(url.value(), new Cached(client, lifetime));
            LOG.log(Level.DEBUG, "Client ID metadata document {0} accepted, cached for {1}", url.value(), lifetime);
            return Optional.of(client);
        } catch (OAuthException e) {
            LOG.log(Level.INFO, "Client ID metadata document {0} rejected: {1}", url.value(), e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Client ID metadata document " + url.value() + " could not be processed", e);
            return Optional.empty();
        } finally {
            fetchSlots.release();
        }
    }

    private Duration lifetime(Optional<Duration> freshness) {
        Duration d = freshness.orElse(defaultLifetime);
        return d.compareTo(minLifetime) < 0 ? minLifetime : d.compareTo(maxLifetime) > 0 ? maxLifetime : d;
    }

    private static SSLContext sslContext(Builder b) {
        if (b.sslContext != null) {
            return b.sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default SSLContext", e);
        }
    }

    private record Cached(RegisteredClient client, Duration lifetime) {
    }

    /**
     * Builds {@link MetadataDocumentClients}. Every setter checks its argument at once and names the field in the
     * exception; {@link #build()} checks what is required and how the settings fit together.
     */
    public static final class Builder {
        private ClientStore delegate;
        private AuthorizationServerSettings settings;
        private AddressPolicy addressPolicy = AddressPolicy.publicOnly();
        private AddressPolicy.HostResolver resolver = AddressPolicy.HostResolver.system();
        private SSLContext sslContext;
        private Duration timeout = Duration.ofSeconds(3);
        private int maxDocumentSize = DEFAULT_MAX_DOCUMENT_SIZE;
        private Duration minCacheLifetime = Duration.ofMinutes(5);
        private Duration defaultCacheLifetime = Duration.ofHours(1);
        private Duration maxCacheLifetime = Duration.ofHours(24);
        private long maximumCachedClients = 10_000;
        private int maxConcurrentFetches = 16;
        private Ticker ticker = Ticker.systemTicker();

        private Builder() {
        }

        /** What fetch deadlines are measured on (default {@link Ticker#systemTicker()}); tests move it by hand. */
        Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The store for every other client, and where saves and deletes go (required). */
        public Builder delegate(ClientStore delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            return this;
        }

        /** The server settings (required): their scopes bound the clients' scopes, their clock the cache. */
        public Builder settings(AuthorizationServerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Which addresses may be connected to (default {@link AddressPolicy#publicOnly()}). Only a development
         * or test setup should allow more, such as loopback.
         */
        public Builder addressPolicy(AddressPolicy addressPolicy) {
            this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
            return this;
        }

        /** How host names are resolved (default {@link AddressPolicy.HostResolver#system()}). */
        public Builder resolver(AddressPolicy.HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The TLS context whose trust store authenticates document hosts (default the JVM's default). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * The most time one fetch may take, resolving the host, connecting, handshaking and reading: 100 ms to 30 s
         * (default 3 s).
         */
        public Builder timeout(Duration timeout) {
            this.timeout = BuilderChecks.durationBetween("timeout", timeout, Duration.ofMillis(100),
                    Duration.ofSeconds(30));
            return this;
        }

        /**
         * The largest document read, in bytes: 512 to 65536 (default
         * {@value MetadataDocumentClients#DEFAULT_MAX_DOCUMENT_SIZE}); a longer one is refused, not truncated.
         */
        public Builder maxDocumentSize(int bytes) {
            this.maxDocumentSize = (int) BuilderChecks.longBetween("maxDocumentSize", bytes, 512, 65_536);
            return this;
        }

        /** The shortest time a valid document is cached, whatever its headers: 0 to 1 day (default 5 minutes). */
        public Builder minCacheLifetime(Duration lifetime) {
            this.minCacheLifetime = BuilderChecks.durationBetween("minCacheLifetime", lifetime, Duration.ZERO,
                    Duration.ofDays(1));
            return this;
        }

        /** How long a document without caching headers is cached: 0 to 7 days (default 1 hour). */
        public Builder defaultCacheLifetime(Duration lifetime) {
            this.defaultCacheLifetime = BuilderChecks.durationBetween("defaultCacheLifetime", lifetime, Duration.ZERO,
                    Duration.ofDays(7));
            return this;
        }

        /** The longest time a valid document is cached, whatever its headers: 0 to 7 days (default 24 hours). */
        public Builder maxCacheLifetime(Duration lifetime) {
            this.maxCacheLifetime = BuilderChecks.durationBetween("maxCacheLifetime", lifetime, Duration.ZERO,
                    Duration.ofDays(7));
            return this;
        }

        /** The most documents cached; past it the least recently used go (default 10,000). */
        public Builder maximumCachedClients(long maximum) {
            this.maximumCachedClients = BuilderChecks.longBetween("maximumCachedClients", maximum, 1, Long.MAX_VALUE);
            return this;
        }

        /**
         * The most fetches under way at once (default 16); a look-up that would start one more finds no client.
         * Bounds the threads an attacker can hold with slow document hosts.
         */
        public Builder maxConcurrentFetches(int maximum) {
            this.maxConcurrentFetches = (int) BuilderChecks.longBetween("maxConcurrentFetches", maximum, 1, 1024);
            return this;
        }

        /** Checks that the required fields are set and the cache lifetimes are ordered, and builds. */
        public MetadataDocumentClients build() {
            if (delegate == null) {
                throw new IllegalStateException("delegate is required");
            }
            if (settings == null) {
                throw new IllegalStateException("settings is required");
            }
            if (minCacheLifetime.compareTo(defaultCacheLifetime) > 0
                    || defaultCacheLifetime.compareTo(maxCacheLifetime) > 0) {
                throw new IllegalStateException("cache lifetimes must satisfy minCacheLifetime (" + minCacheLifetime
                        + ") <= defaultCacheLifetime (" + defaultCacheLifetime + ") <= maxCacheLifetime ("
                        + maxCacheLifetime + ")");
            }
            return new MetadataDocumentClients(this);
        }
    }
}
