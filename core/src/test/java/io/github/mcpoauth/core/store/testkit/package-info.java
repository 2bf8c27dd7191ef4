/**
 * The storage test kit (published in the {@code mcp-oauth-core} test-jar): abstract JUnit 5 contract tests that any
 * implementation of the storage SPIs must pass
 * ({@link io.github.mcpoauth.core.store.testkit.ClientStoreContract},
 * {@link io.github.mcpoauth.core.store.testkit.AuthorizationCodeStoreContract},
 * {@link io.github.mcpoauth.core.store.testkit.GrantStoreContract},
 * {@link io.github.mcpoauth.core.store.testkit.ConsentStoreContract},
 * {@link io.github.mcpoauth.core.store.testkit.SigningKeyStoreContract}), the fixture builders they use
 * ({@code TestClients}, {@code TestCodes}, {@code TestGrants}, {@code TestConsents}, {@code TestSigningKeys}) and
 * a {@link io.github.mcpoauth.core.store.testkit.MutableClock}.
 *
 * <p>Published in the core module's test-jar ({@code <type>test-jar</type>}); a custom store subclasses each
 * contract and returns a fresh store from {@code createStore(Clock)}. See {@code docs/storage.md}.
 *
 * <p>{@link io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase} starts one embedded PostgreSQL per JVM
 * (binaries from Maven Central) and hands out freshly migrated databases, for tests of JDBC-backed stores.
 */
package io.github.mcpoauth.core.store.testkit;
