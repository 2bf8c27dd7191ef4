/**
 * The adapter for the MCP Java SDK's HTTP client transport (an optional dependency: only this package needs
 * {@code io.modelcontextprotocol.sdk:mcp-core}).
 */
package io.github.mcpoauth.client.mcpsdk;
