/**
 * Internal: the one writer that turns an {@link io.github.mcpoauth.core.error.OAuthException} (or any failure)
 * into the standard OAuth JSON error response, and {@code Printable}, which makes client input safe to quote.
 * Not exported.
 */
package io.github.mcpoauth.core.internal.error;
