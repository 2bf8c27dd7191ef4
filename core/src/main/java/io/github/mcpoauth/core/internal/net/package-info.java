/**
 * IP address helpers shared by the defences that look at addresses: the public-address policy of client ID
 * metadata document fetches (SSRF, RFC 9700 §4.16 and the MCP security best practices) and the servlet module's
 * trusted proxies for rate limits.
 */
package io.github.mcpoauth.core.internal.net;
