/**
 * Settings of the authorization server: issuer (RFC 8414 §2), protected resources (RFC 8707), scopes,
 * lifetimes, endpoint paths and the clock. Built once, validated at build time, immutable after. Also the
 * helpers every builder and cache in the library shares: the issuer, resource and duration checks, and the
 * clock as a Caffeine ticker.
 */
package io.github.mcpoauth.core.settings;
