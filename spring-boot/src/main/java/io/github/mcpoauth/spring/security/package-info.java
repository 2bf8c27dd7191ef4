/**
 * Spring Security integration: a filter chain for mcp-oauth's endpoints, the bearer caller as an
 * {@code Authentication} with {@code SCOPE_} authorities, and the application's login for the authorization
 * endpoint.
 */
package io.github.mcpoauth.spring.security;
