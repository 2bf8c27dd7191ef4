/**
 * The login hook: {@link io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator} lets the host app's own
 * login (container security, a session attribute, a redirect to its login page) identify the resource owner;
 * {@link io.github.mcpoauth.servlet.login.OpenIdLogin} is a built-in one that signs the user in at upstream OpenID
 * providers (OpenID Connect Core 1.0, authorization code flow with PKCE).
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html">OpenID Connect Core 1.0</a>
 */
package io.github.mcpoauth.servlet.login;
