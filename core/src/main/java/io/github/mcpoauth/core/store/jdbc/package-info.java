/**
 * The stores in PostgreSQL through plain JDBC over a {@link javax.sql.DataSource}: no ORM, no pool of its own.
 * {@link io.github.mcpoauth.core.store.jdbc.JdbcStores} is the only public entry; the schema scripts
 * ({@code V<n>__*.sql}) sit next to it as resources. See {@code docs/storage.md}.
 */
package io.github.mcpoauth.core.store.jdbc;
