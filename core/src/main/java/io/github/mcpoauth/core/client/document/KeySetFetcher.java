package io.github.mcpoauth.core.client.document;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.mcpoauth.core.internal.client.ClientKeySource;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fetches the key sets of {@code private_key_jwt} clients from their {@code jwks_uri} with the same
 * {@link DocumentFetcher} (and so the same address policy, resolver, TLS, timeout and size limit) as client ID
 * metadata documents: the URL must be an https URL with a path and no query or fragment, redirects are not followed.
 * A set is cached for {@link #LIFETIME}; an assertion naming a {@code kid} the cached set lacks triggers a refetch,
 * at most once per {@link #REFETCH_INTERVAL} per URL, so that a client cannot make the server fetch on every
 * request. A failed fetch is remembered as an empty set for the same interval.
 */
final class KeySetFetcher implements ClientKeySource {

    /** How long a fetched set is used without asking again. */
    static final Duration LIFETIME = Duration.ofMinutes(5);
    /** The least time between two fetches of one URL. */
    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);

    private final DocumentFetcher fetcher;
    private final Clock clock;
    private final Cache<String, Fetched> cache;

    KeySetFetcher(DocumentFetcher fetcher, Clock clock, long maximumCached) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.cache = Caches.builder().maximumSize(maximumCached).ticker(ClockTicker.of(clock))
                .expireAfterWrite(LIFETIME).build();
    }

    private record Fetched(JWKSet keys, Instant at, String failure) {
    }

    @Override
    public JWKSet keys(URI jwksUri, String kid) {
        String key = jwksUri.toString();
        Fetched cached = cache.getIfPresent(key);
        Instant now = clock.instant();
        boolean recent = cached != null && now.isBefore(cached.at().plus(REFETCH_INTERVAL));
        boolean usable = cached != null && cached.failure() == null
                && (kid == null || cached.keys().getKeyByKeyId(kid) != null);
        if (cached != null && (recent || usable)) {
            if (cached.failure() != null) {
                throw Rejection.of("jwks_uri fetch failed recently: " + cached.failure());
            }
            return cached.keys();
        }
        try {
            JWKSet keys = parse(fetcher.fetch(ClientIdUrl.parse(key)).json());
            cache.put(key, new Fetched(keys, now, null));
            return keys;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            cache.put(key, new Fetched(new JWKSet(), now, reason));
            throw Rejection.of("jwks_uri not usable: " + reason);
        }
    }

    private static JWKSet parse(String json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw Rejection.of("the jwks_uri document is not a JWK set");
        }
        if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw Rejection.of("the jwks_uri document holds private key material");
        }
        return set;
    }
}
