/**
 * Abuse limits for the authorization server's JSON endpoints: token-bucket rate limits per client address and per
 * client id ({@link io.github.mcpoauth.servlet.limit.RateLimits} of
 * {@link io.github.mcpoauth.servlet.limit.RateLimit}s, answered with 429, {@code Retry-After} and
 * {@code {"error": "too_many_requests"}}). Every rate limit measures time on the settings' {@link java.time.Clock}.
 * The limiters themselves are internal.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4 (429)</a>
 */
package io.github.mcpoauth.servlet.limit;
