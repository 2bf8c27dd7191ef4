package io.github.mcpoauth.servlet.internal.limit;

import io.github.mcpoauth.core.internal.error.Printable;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.servlet.limit.RateLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rate limits of one endpoint, applied to each request by the endpoint's servlet: first by client address
 * (before the body is read), then by the client id the request names. Each refusal run is reported once as an
 * {@link AuditEvent.Type#RATE_LIMITED} event. Made by the servlet module from {@link RateLimits}; hosts rarely
 * need it directly.
 */
public final class EndpointLimiter {

    private static final EndpointLimiter NONE = new EndpointLimiter("none", null, null, TrustedProxies.none(),
            Clock.systemUTC(), AuditListener.none());

    private final String endpoint;
    private final RateLimiter byAddress;
    private final RateLimiter byClient;
    private final TrustedProxies proxies;
    private final Clock clock;
    private final AuditListener audit;

    private EndpointLimiter(String endpoint, RateLimiter byAddress, RateLimiter byClient, TrustedProxies proxies,
            Clock clock, AuditListener audit) {
        this.endpoint = endpoint;
        this.byAddress = byAddress;
        this.byClient = byClient;
        this.proxies = proxies;
        this.clock = clock;
        this.audit = audit;
    }

    /** No limits. */
    public static EndpointLimiter none() {
        return NONE;
    }

    /**
     * The limits {@code limits} sets for {@code endpoint}, keyed by the client address {@code proxies} finds,
     * measured on {@code clock}, refusals reported to {@code audit} (which should not throw; wrap it with
     * {@link AuditListener#guarded}).
     */
    public static EndpointLimiter create(RateLimits limits, RateLimits.Endpoint endpoint, TrustedProxies proxies,
            Clock clock, AuditListener audit) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(audit, "audit");
        RateLimiter address = limits.limit(endpoint, RateLimits.Key.ADDRESS)
                .map(l -> RateLimiter.create(l, clock)).orElse(null);
        RateLimiter client = limits.limit(endpoint, RateLimits.Key.CLIENT)
                .map(l -> RateLimiter.create(l, clock)).orElse(null);
        return new EndpointLimiter(endpoint.name().toLowerCase(Locale.ROOT), address, client, proxies, clock, audit);
    }

    /** Whether requests are limited by client id (so the caller need only find the id if so). */
    public boolean limitsClients() {
        return byClient != null;
    }

    /**
     * Counts {@code request} against its client address.
     *
     * @return empty if it may proceed, else how long the client should wait
     */
    public Optional<Duration> admitAddress(HttpServletRequest request) {
        if (byAddress == null) {
            return Optional.empty();
        }
        String address = proxies.clientAddress(request);
        return decide(byAddress.acquire(address), "address", () -> address, null);
    }

    /**
     * Counts {@code request} against the client id it names ({@code null} if none: then it is not counted). A client
     * ID metadata document URL is not counted: it is public and shared by every installation of that client, so a
     * bucket per URL would let anyone lock every user of the client out; such requests are limited per address.
     *
     * @return empty if it may proceed, else how long the client should wait
     */
    public Optional<Duration> admitClient(HttpServletRequest request, String claimedClientId) {
        if (byClient == null || claimedClientId == null || claimedClientId.isEmpty()
                || claimedClientId.regionMatches(true, 0, "https://", 0, 8)) {
            return Optional.empty();
        }
        String key = claimedClientId.length() > 256 ? claimedClientId.substring(0, 256) : claimedClientId;
        return decide(byClient.acquire(key), "client", () -> proxies.clientAddress(request),
                Printable.visible(key, 64));
    }

    /** @param address the client address, worked out only for the audit event of a first refusal */
    private Optional<Duration> decide(RateLimiter.Decision d, String by, Supplier<String> address, String clientId) {
        if (d.allowed()) {
            return Optional.empty();
        }
        if (d.firstRefusal()) {
            audit.onEvent(AuditEvent.of(AuditEvent.Type.RATE_LIMITED, clock.instant(), clientId,
                    "endpoint=" + endpoint + " by=" + by + " address=" + address.get()
                            + " retry_after=" + d.retryAfter().toSeconds() + "s"));
        }
        return Optional.of(d.retryAfter());
    }

    @Override
    public String toString() {
        return "EndpointLimiter[" + endpoint + ", address=" + byAddress + ", client=" + byClient + "]";
    }
}
