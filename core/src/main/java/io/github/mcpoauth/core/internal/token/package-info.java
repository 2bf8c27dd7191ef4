/**
 * The token lifecycle: the token endpoint (authorization code with PKCE, refresh with rotation and reuse
 * detection; RFC 6749 §3.2, RFC 9700 §4.14), JWT access tokens (RFC 9068), revocation (RFC 7009) and
 * introspection (RFC 7662).
 */
package io.github.mcpoauth.core.internal.token;
