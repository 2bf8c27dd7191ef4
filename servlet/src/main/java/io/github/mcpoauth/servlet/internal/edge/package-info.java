/**
 * Internal: the servlet module's one HTTP edge. {@link io.github.mcpoauth.servlet.internal.edge.EdgeReader} turns a
 * servlet request into a Nimbus request (body limit, body deadline, draining of bodies that are not read);
 * {@link io.github.mcpoauth.servlet.internal.edge.EdgeWriter} writes every response the module answers by itself
 * (Nimbus responses, JSON errors, bearer refusals, 429 and 503), with the CORS and cache headers;
 * {@link io.github.mcpoauth.servlet.internal.edge.JsonEdge} is the pipeline of a JSON endpoint between them.
 * Endpoints, the bearer guard and the metadata servlets go through it; none sets those headers or drains a body
 * itself.
 */
package io.github.mcpoauth.servlet.internal.edge;
