/**
 * The consent page (built-in HTML or the host's own template via
 * {@link io.github.mcpoauth.servlet.consent.ConsentPage}), the error page, and the headers that keep both out of
 * frames and referrers.
 */
package io.github.mcpoauth.servlet.consent;
