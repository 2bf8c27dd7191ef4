/**
 * The bearer guard in front of an MCP endpoint (RFC 6750, RFC 9728, MCP authorization).
 *
 * <ul>
 *   <li>{@link io.github.mcpoauth.servlet.guard.BearerGuardFilter}: takes the token from the
 *       {@code Authorization} header only, verifies it with an
 *       {@link io.github.mcpoauth.core.resource.AccessTokenVerifier}, enforces the endpoint's scopes and the
 *       per-method/per-tool {@link io.github.mcpoauth.servlet.guard.McpScopeRules}, answers refusals with the
 *       {@code WWW-Authenticate} challenges MCP clients follow, and hands the servlet behind it a request whose
 *       {@code getUserPrincipal()} is the {@link io.github.mcpoauth.core.resource.AccessTokenPrincipal} and which
 *       no longer carries the token; a store outage is 503 with {@code Retry-After}, never 401, and an address
 *       sending too many refused tokens is throttled with 429;</li>
 *   <li>{@link io.github.mcpoauth.servlet.guard.ProtectedResourceMetadataServlet}: serves the RFC 9728 document
 *       at {@code /.well-known/oauth-protected-resource[/<resource path>]};</li>
 *   <li>{@link io.github.mcpoauth.servlet.guard.McpAuthContext}: for the MCP Java SDK, puts the principal into
 *       the {@code McpTransportContext} and reads it back in a tool handler (needs the SDK on the class path;
 *       nothing else in this package does).</li>
 * </ul>
 */
package io.github.mcpoauth.servlet.guard;
