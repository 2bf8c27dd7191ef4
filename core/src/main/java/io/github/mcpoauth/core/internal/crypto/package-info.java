/**
 * Opaque secrets (codes, refresh tokens, client secrets): generation, hashing for storage, and constant-time
 * comparison (RFC 6749 §10.10, RFC 9700 §4.14).
 */
package io.github.mcpoauth.core.internal.crypto;
