/**
 * In-memory stores on bounded, expiring Caffeine caches: the embedded default, for one JVM and no restarts.
 * {@link io.github.mcpoauth.core.store.memory.InMemoryStores#create} is the only public entry.
 */
package io.github.mcpoauth.core.store.memory;
