/**
 * Internal: HTML escaping, the security headers of every page, the built-in consent, connected-apps and error pages
 * (their style and their English and French texts), and the connected-apps servlet with its HTTP-free decisions.
 * Not exported.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.16">RFC 9700 §4.16 (clickjacking)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009">RFC 7009 (revocation)</a>
 */
package io.github.mcpoauth.servlet.internal.consent;
