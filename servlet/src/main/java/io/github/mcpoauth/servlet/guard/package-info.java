/**
 * The public side of the bearer guard in front of an MCP endpoint (RFC 6750, RFC 9728, MCP authorization): the
 * guard itself is installed by {@code McpOAuth} or, for an external authorization server, by
 * {@code McpResourceServer}.
 *
 * <ul>
 *   <li>{@link io.github.mcpoauth.servlet.guard.McpScopeRules}: the scopes particular MCP methods, tools, prompts
 *       and resources need, on top of the resource's required scopes;</li>
 *   <li>{@link io.github.mcpoauth.servlet.guard.McpAuthContext}: for the MCP Java SDK, puts the caller's
 *       {@link io.github.mcpoauth.core.resource.AccessTokenPrincipal} into the {@code McpTransportContext} and
 *       reads it back in a tool handler (needs the SDK on the class path; nothing else in this package does).</li>
 * </ul>
 *
 * <p>Behind the guard, {@code request.getUserPrincipal()} is the {@code AccessTokenPrincipal} and the token is no
 * longer on the request.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750">RFC 6750</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 */
package io.github.mcpoauth.servlet.guard;
