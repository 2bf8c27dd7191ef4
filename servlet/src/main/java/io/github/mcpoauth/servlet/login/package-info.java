/**
 * The login hook: {@link io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator} lets the host app's own
 * login (container security, a session attribute, a redirect to its login page) identify the resource owner.
 */
package io.github.mcpoauth.servlet.login;
