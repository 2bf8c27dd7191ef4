/**
 * Internal: the rate limiters, the trusted-proxy client address and {@code RequestBodies} (early answers that keep
 * the connection usable). Configured through {@code RateLimits} and {@code McpOAuth.Builder}; not exported.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4 (429)</a>
 */
package io.github.mcpoauth.servlet.internal.limit;
