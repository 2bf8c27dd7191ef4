/**
 * Implementation of the client: bounded HTTP, discovery (RFC 9728, RFC 8414), registration (RFC 7591, client ID
 * metadata documents), the authorization code flow with PKCE and a loopback redirect (RFC 8252), token requests.
 * Not exported.
 */
package io.github.mcpoauth.client.internal;
