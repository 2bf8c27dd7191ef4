/**
 * The storage SPIs and the records they hold: clients, authorization codes (single-use {@code consume}), grants
 * with their refresh tokens (compare-and-set {@code rotate}, family {@code revoke}), consents and signing keys.
 *
 * <p>Every code, token and client secret is held only as a hash. Implementations: {@code store.memory}
 * (Caffeine; the embedded default) and {@code store.jdbc} (PostgreSQL); the test kit's contract tests prove any
 * other. See {@code docs/storage.md}.
 */
package io.github.mcpoauth.core.store;
