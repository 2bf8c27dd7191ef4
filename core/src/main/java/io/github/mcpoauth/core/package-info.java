/**
 * mcp-oauth core: {@link io.github.mcpoauth.core.AuthorizationServer} assembles a framework-neutral OAuth 2.1
 * authorization server for MCP from settings, stores and listeners. Subpackages are organised by protocol role.
 */
package io.github.mcpoauth.core;
