/**
 * Internal: the bearer guard filter (RFC 6750), the CORS filter of the protected resources and the RFC 9728
 * metadata servlet, with their request wrappers and the JSON-RPC body inspector. Installed by
 * {@code McpOAuth} or {@code McpResourceServer}; not exported.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750">RFC 6750</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 */
package io.github.mcpoauth.servlet.internal.guard;
