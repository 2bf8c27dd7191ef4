/**
 * Internal: the shape every JSON endpoint of core shares, so that the servlet module's one HTTP edge can drive any
 * of them: {@link io.github.mcpoauth.core.internal.endpoint.JsonEndpoint#parse parse} the HTTP request into a
 * typed {@link io.github.mcpoauth.core.internal.endpoint.ParsedRequest} (which names the client, for rate limits),
 * then {@link io.github.mcpoauth.core.internal.endpoint.JsonEndpoint#handle handle} it into a response.
 */
package io.github.mcpoauth.core.internal.endpoint;
