/**
 * Discovery documents: authorization server metadata (RFC 8414) at its well-known URLs and the JWK Set
 * (RFC 7517 §5) of the access-token signing keys.
 */
package io.github.mcpoauth.core.internal.metadata;
