/**
 * The example as a plain WAR for Tomcat 11 (or any Servlet 6 container): no {@code web.xml}, one
 * {@link jakarta.servlet.ServletContainerInitializer} that mounts the MCP endpoint, the demo login and mcp-oauth
 * under the WAR's context path. See docs/deployment.md.
 */
package io.github.mcpoauth.examples.tomcat;
