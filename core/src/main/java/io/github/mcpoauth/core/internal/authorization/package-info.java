/**
 * The authorization endpoint (RFC 6749 §4.1.1, OAuth 2.1): request validation, PKCE S256 (RFC 7636), resource
 * indicators (RFC 8707), the consent decision and code issuance, with {@code iss} on every response (RFC 9207).
 * Framework-neutral: the servlet module renders the login, consent and error pages this package asks for.
 */
package io.github.mcpoauth.core.internal.authorization;
