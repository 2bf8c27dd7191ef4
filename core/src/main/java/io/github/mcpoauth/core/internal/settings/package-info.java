/**
 * Internal: builder checks that fail fast naming the bad field, and the bridge from the settings' {@code Clock}
 * to Caffeine's ticker. Not exported.
 */
package io.github.mcpoauth.core.internal.settings;
