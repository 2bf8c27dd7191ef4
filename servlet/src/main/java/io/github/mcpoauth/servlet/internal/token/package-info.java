/**
 * Internal: the token, revocation and introspection endpoints over HTTP, each a servlet driving core's endpoint
 * through the {@link io.github.mcpoauth.servlet.internal.edge.JsonEdge}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662">RFC 7662</a>
 */
package io.github.mcpoauth.servlet.internal.token;
