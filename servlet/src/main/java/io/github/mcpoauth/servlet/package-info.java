/**
 * mcp-oauth for Jakarta Servlet 6: {@link io.github.mcpoauth.servlet.McpOAuth} mounts the authorization server
 * (RFC 8414, RFC 7591, RFC 6749 with PKCE, RFC 7009, RFC 7662) into any webapp.
 */
package io.github.mcpoauth.servlet;
