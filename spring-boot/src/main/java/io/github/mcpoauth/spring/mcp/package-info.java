/**
 * MCP Java SDK integration: the transport-context extractor that hands the verified caller to tool handlers.
 */
package io.github.mcpoauth.spring.mcp;
