/**
 * The single protocol exception type, {@link io.github.mcpoauth.core.error.OAuthException}, and the error codes
 * of RFC 6749 §5.2, RFC 7591 §3.2.2 and RFC 8707 §2 that Nimbus does not define itself; and
 * {@link io.github.mcpoauth.core.internal.error.Printable}, which makes client input safe to quote in an error
 * or a log line.
 */
package io.github.mcpoauth.core.error;
