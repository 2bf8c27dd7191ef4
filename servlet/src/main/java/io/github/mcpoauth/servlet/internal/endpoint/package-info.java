/**
 * Internal: the authorization endpoint and its consent form (the browser side of the authorization server), and
 * the body deadline and store permits ({@link io.github.mcpoauth.servlet.internal.endpoint.EdgeLimits}) of every
 * endpoint. The JSON endpoints are named servlets in the packages of their protocol roles ({@code token},
 * {@code client}, {@code metadata}); all go through the HTTP edge ({@code internal.edge}).
 */
package io.github.mcpoauth.servlet.internal.endpoint;
