/**
 * Internal: sign-in at upstream OpenID providers for {@link io.github.mcpoauth.servlet.login.OpenIdLogin}: the
 * provider's metadata and keys ({@link io.github.mcpoauth.servlet.internal.login.UpstreamProvider}), the pending
 * sign-ins of a browser session, the login servlet (chooser, start, callback) and the chooser page. Not exported.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html">OpenID Connect Core 1.0</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700">RFC 9700 (OAuth 2.0 Security BCP)</a>
 */
package io.github.mcpoauth.servlet.internal.login;
