package io.github.mcpoauth.servlet.limit;

import io.github.mcpoauth.servlet.internal.limit.TrustedProxies;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which rate limits the authorization server's JSON endpoints apply, per client address and per client id.
 * Immutable; derive variants with {@link #with} and {@link #without}:
 *
 * <pre>{@code
 * McpOAuth.builder()
 *     .rateLimits(RateLimits.defaults()
 *         .with(Endpoint.REGISTRATION, Key.ADDRESS, RateLimit.perHour(5))
 *         .without(Endpoint.INTROSPECTION, Key.ADDRESS))
 *     .trustedProxies("10.0.0.0/8")
 * }</pre>
 *
 * <p>A refused request gets 429 with {@code Retry-After} and {@code {"error": "too_many_requests"}}, and a
 * {@code RATE_LIMITED} audit event (one per run of refusals of one key, so a flood does not flood the log). The
 * address is checked before the body is read; the client id, taken from HTTP Basic or the {@code client_id}
 * parameter before the client is authenticated, after. A per-client limit therefore also counts requests that
 * merely claim the id: keep it well above what a legitimate client needs, and rely on the address limit first.
 *
 * <p>{@link #defaults()}:
 * <table>
 *   <caption>Default limits</caption>
 *   <tr><th>endpoint</th><th>per address</th><th>per client id</th></tr>
 *   <tr><td>registration</td><td>20 per hour (burst 20)</td><td>-</td></tr>
 *   <tr><td>token</td><td>300 per minute</td><td>60 per minute</td></tr>
 *   <tr><td>revocation</td><td>300 per minute</td><td>60 per minute</td></tr>
 *   <tr><td>introspection</td><td>6000 per minute</td><td>6000 per minute</td></tr>
 *   <tr><td>authorization (pages, consent posts)</td><td>120 per minute</td><td>-</td></tr>
 * </table>
 */
public final class RateLimits {

    /** The endpoints that can be limited. */
    public enum Endpoint {
        /** Dynamic client registration (RFC 7591). */
        REGISTRATION,
        /** The token endpoint. */
        TOKEN,
        /** Revocation (RFC 7009). */
        REVOCATION,
        /** Introspection (RFC 7662). */
        INTROSPECTION,
        /**
         * The authorization endpoint and its consent form: bounds what one address can make the server do on its
         * behalf, such as fetching client ID metadata documents.
         */
        AUTHORIZATION
    }

    /** What a limit counts by. */
    public enum Key {
        /** The client address (see {@link TrustedProxies}). */
        ADDRESS,
        /** The client id the request names (not yet authenticated); registration has none. */
        CLIENT
    }

    private static final RateLimits NONE = new RateLimits(new EnumMap<>(Endpoint.class));

    private final Map<Endpoint, Map<Key, RateLimit>> limits;

    private RateLimits(Map<Endpoint, Map<Key, RateLimit>> limits) {
        this.limits = limits;
    }

    /** The defaults in the table above. */
    public static RateLimits defaults() {
        return NONE
                .with(Endpoint.REGISTRATION, Key.ADDRESS, RateLimit.perHour(20))
                .with(Endpoint.TOKEN, Key.ADDRESS, RateLimit.perMinute(300))
                .with(Endpoint.TOKEN, Key.CLIENT, RateLimit.perMinute(60))
                .with(Endpoint.REVOCATION, Key.ADDRESS, RateLimit.perMinute(300))
                .with(Endpoint.REVOCATION, Key.CLIENT, RateLimit.perMinute(60))
                .with(Endpoint.INTROSPECTION, Key.ADDRESS, RateLimit.perMinute(6000))
                .with(Endpoint.INTROSPECTION, Key.CLIENT, RateLimit.perMinute(6000))
                .with(Endpoint.AUTHORIZATION, Key.ADDRESS, RateLimit.perMinute(120));
    }

    /** No limits at all (e.g. when a gateway in front already limits). */
    public static RateLimits none() {
        return NONE;
    }

    /** These limits with {@code limit} for {@code endpoint} by {@code key}. */
    public RateLimits with(Endpoint endpoint, Key key, RateLimit limit) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limit, "limit");
        if (endpoint == Endpoint.REGISTRATION && key == Key.CLIENT) {
            throw new IllegalArgumentException("registration requests have no client id to limit by");
        }
        return copy(endpoint, key, limit);
    }

    /** These limits without any limit for {@code endpoint} by {@code key}. */
    public RateLimits without(Endpoint endpoint, Key key) {
        return copy(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(key, "key"), null);
    }

    /** The limit for {@code endpoint} by {@code key}, if any. */
    public Optional<RateLimit> limit(Endpoint endpoint, Key key) {
        return Optional.ofNullable(limits.getOrDefault(endpoint, Map.of()).get(key));
    }

    private RateLimits copy(Endpoint endpoint, Key key, RateLimit limit) {
        Map<Endpoint, Map<Key, RateLimit>> next = new EnumMap<>(Endpoint.class);
        limits.forEach((e, m) -> {
            Map<Key, RateLimit> copy = new EnumMap<>(Key.class);
            copy.putAll(m);
            next.put(e, copy);
        });
        Map<Key, RateLimit> forEndpoint = next.computeIfAbsent(endpoint, e -> new EnumMap<>(Key.class));
        if (limit == null) {
            forEndpoint.remove(key);
        } else {
            forEndpoint.put(key, limit);
        }
        next.replaceAll((e, m) -> Collections.unmodifiableMap(m));
        return new RateLimits(Collections.unmodifiableMap(next));
    }

    @Override
    public String toString() {
        return "RateLimits" + limits;
    }
}
