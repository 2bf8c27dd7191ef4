/**
 * The pages a person sees on the authorization server: the consent page and the connected-apps page (built-in HTML
 * or the host's own via {@link io.github.mcpoauth.servlet.consent.ConsentPage}), what they show
 * ({@link io.github.mcpoauth.servlet.consent.ConsentView},
 * {@link io.github.mcpoauth.servlet.consent.ConsentPage.ConnectedAppsView}),
 * and the session cookie hardening their CSRF protection relies on.
 */
package io.github.mcpoauth.servlet.consent;
