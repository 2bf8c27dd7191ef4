/**
 * The resource-server side: verifying the bearer access tokens presented to a protected MCP endpoint, without
 * any servlet dependency.
 *
 * <ul>
 *   <li>{@link io.github.mcpoauth.core.resource.ProtectedResourceSettings}: who this resource is (RFC 8707
 *       canonical URI), which authorization servers it trusts, its scopes and verification limits;</li>
 *   <li>{@link io.github.mcpoauth.core.resource.AccessTokenVerifier}: token string in,
 *       {@link io.github.mcpoauth.core.resource.AccessTokenPrincipal} out, or an
 *       {@link io.github.mcpoauth.core.error.OAuthException} carrying an RFC 6750 §3.1 error; JWT access tokens
 *       (RFC 9068) against local or remote keys, or opaque tokens by introspection (RFC 7662), with a bounded
 *       cache and an optional {@link io.github.mcpoauth.core.resource.RevocationCheck};</li>
 *   <li>{@link io.github.mcpoauth.core.resource.BearerChallenge}: the one place a {@code WWW-Authenticate}
 *       value is built (RFC 6750 §3, RFC 9728 §5.1);</li>
 *   <li>{@link io.github.mcpoauth.core.resource.ProtectedResourceMetadataDocument}: the RFC 9728 metadata.</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750">RFC 6750</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068">RFC 9068</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 */
package io.github.mcpoauth.core.resource;
