/**
 * A Spring Boot application with Spring Security form login and Spring AI's MCP server starter, protected by the
 * mcp-oauth starter: the caller of an MCP request reaches {@code @Tool} methods (and {@code @PreAuthorize}) with no
 * Spring AI bean replaced. Not published; run by its interop test.
 */
package io.github.mcpoauth.examples.springai;
