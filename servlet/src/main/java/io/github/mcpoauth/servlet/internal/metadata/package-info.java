/**
 * Internal: the authorization server metadata and its JWK Set over HTTP, servlets serving core's documents through
 * the {@link io.github.mcpoauth.servlet.internal.edge.JsonEdge}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414">RFC 8414</a>
 */
package io.github.mcpoauth.servlet.internal.metadata;
