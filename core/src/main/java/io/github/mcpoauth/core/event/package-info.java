/**
 * Audit events (client registered, consent, codes, tokens, failures, rate limits) and the listener hosts
 * implement to log or alert on them; the default logs through {@link java.lang.System.Logger}.
 */
package io.github.mcpoauth.core.event;
