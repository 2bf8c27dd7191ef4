/**
 * The Spring Boot starter of mcp-oauth: {@link io.github.mcpoauth.spring.McpOAuthAutoConfiguration} builds the
 * OAuth 2.1 authorization server and resource server for MCP endpoints from {@code mcp.oauth.*}
 * ({@link io.github.mcpoauth.spring.McpOAuthProperties}) and installs it into the servlet context.
 * See docs/spring-boot.md.
 */
package io.github.mcpoauth.spring;
