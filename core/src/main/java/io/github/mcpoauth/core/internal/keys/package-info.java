/**
 * Access-token signing keys: generation, rotation with publish-before-sign, and the public JWK Set
 * (RFC 7517 §5) the JWKS endpoint serves and resource servers verify against.
 */
package io.github.mcpoauth.core.internal.keys;
