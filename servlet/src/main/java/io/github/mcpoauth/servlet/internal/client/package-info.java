/**
 * Internal: dynamic client registration over HTTP, a servlet driving core's registration handler through the
 * {@link io.github.mcpoauth.servlet.internal.edge.JsonEdge}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591">RFC 7591</a>
 */
package io.github.mcpoauth.servlet.internal.client;
