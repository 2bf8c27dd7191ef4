/**
 * Internal: builder checks that fail fast naming the bad field, the bridge from the settings' {@code Clock} to
 * Caffeine's ticker, and the one way this library starts a Caffeine cache ({@link Caches}). Not exported.
 */
package io.github.mcpoauth.core.internal.settings;
