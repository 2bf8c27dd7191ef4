/**
 * The runnable example: an MCP server on embedded Jetty with mcp-oauth mounted beside it ({@link
 * io.github.mcpoauth.examples.jetty.ExampleServer}; in-memory or PostgreSQL stores, demo users, an optional upstream
 * OpenID login), and what drives it the way browsers and clients do: the warm start before the port opens ({@link
 * io.github.mcpoauth.examples.jetty.WarmStart}, on the request threads the server then takes over: {@link
 * io.github.mcpoauth.examples.jetty.ServerPools}), the demo pages' forms ({@link
 * io.github.mcpoauth.examples.jetty.BrowserForm}) and the JIT's settling ({@link
 * io.github.mcpoauth.examples.jetty.JitWatch}), which the load harness and the tests share. See
 * docs/getting-started.md and docs/operations.md.
 */
package io.github.mcpoauth.examples.jetty;
