/**
 * Abuse limits for the authorization server's JSON endpoints: token-bucket rate limits per client address and per
 * client id ({@link io.github.mcpoauth.servlet.limit.RateLimits}, answered with 429, {@code Retry-After} and
 * {@code {"error": "too_many_requests"}}), the client address behind trusted proxies
 * ({@link io.github.mcpoauth.servlet.limit.TrustedProxies}), and the reusable
 * {@link io.github.mcpoauth.servlet.limit.RateLimiter} itself, for hosts that want to limit their login page too,
 * and {@link io.github.mcpoauth.servlet.limit.RequestBodies}, which ends a request refused before its body was read
 * so that the client's kept-alive connection survives the refusal; and
 * {@link io.github.mcpoauth.servlet.limit.StorePermits}, the bound on concurrent store-bound requests that keeps a
 * slow store from taking every container thread (503 with {@code Retry-After} past it).
 * Every rate limit measures time on the settings' {@link java.time.Clock}.
 */
package io.github.mcpoauth.servlet.limit;
