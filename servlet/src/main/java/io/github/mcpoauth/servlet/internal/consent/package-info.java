/**
 * Internal: HTML escaping, the security headers of every page, and the built-in consent and error pages. Not
 * exported.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.16">RFC 9700 §4.16 (clickjacking)</a>
 */
package io.github.mcpoauth.servlet.internal.consent;
