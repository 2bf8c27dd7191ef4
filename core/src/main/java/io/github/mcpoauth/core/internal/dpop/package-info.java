/**
 * DPoP (RFC 9449) for both sides: proof verification with a replay cache on the injected clock, server nonces,
 * and the token endpoint's and the resource's use of them. Framework-neutral: no servlet types.
 */
package io.github.mcpoauth.core.internal.dpop;
