/**
 * The MCP client side of OAuth 2.1: {@link io.github.mcpoauth.client.McpOAuthClient} discovers an MCP server's
 * authorization server (RFC 9728, RFC 8414), registers (pre-registered credentials, client ID metadata documents,
 * RFC 7591), authorizes (authorization code with PKCE and a loopback redirect, client credentials, JWT bearer,
 * enterprise-managed authorization), keeps tokens in a {@link io.github.mcpoauth.client.TokenStore}, refreshes and
 * steps up scopes.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 */
package io.github.mcpoauth.client;
