/**
 * Internal: the RFC 6750 bearer errors the resource server raises, the compact same-app access tokens
 * ({@link io.github.mcpoauth.core.internal.resource.CompactTokens}) and the one reading of a {@code scope} claim
 * ({@link io.github.mcpoauth.core.internal.resource.ScopeClaim}). Not exported.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
package io.github.mcpoauth.core.internal.resource;
