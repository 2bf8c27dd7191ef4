/**
 * A command-line MCP client built on mcp-oauth-client and the MCP Java SDK.
 */
package io.github.mcpoauth.examples.client;
