/**
 * The same-application revocation check's grant-state cache and the cross-node revocation feed behind it: a known
 * grant answers from memory, a revocation made on another node reaches this one within a bounded staleness, and
 * the cache stops trusting itself while the feed cannot be read.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
package io.github.mcpoauth.core.internal.revocation;
