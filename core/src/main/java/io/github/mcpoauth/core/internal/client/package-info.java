/**
 * Clients: dynamic registration (RFC 7591), the redirect URI policy (RFC 9700 §4.1, RFC 8252 §7) and client
 * authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3).
 */
package io.github.mcpoauth.core.internal.client;
