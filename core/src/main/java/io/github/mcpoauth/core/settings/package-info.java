/**
 * Settings of the authorization server: issuer (RFC 8414 §2), protected resources (RFC 8707), scopes,
 * lifetimes, endpoint paths and the clock. Built once, validated at build time, immutable after.
 */
package io.github.mcpoauth.core.settings;
