package io.github.mcpoauth.core.resource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The claim rules shared by JWT and introspected tokens (RFC 9068 §4, RFC 8707, RFC 7519 §4.1), measured on the
 * settings' clock with its skew.
 */
final class ClaimsChecks {

    private static final int MAX_IDENTIFIER = 1024;

    private ClaimsChecks() {
    }

    /** The configured issuer equal to {@code iss}, character for character. */
    static URI issuer(ProtectedResourceSettings s, String iss) throws TokenRejected {
        if (iss == null) {
            throw new TokenRejected("no iss");
        }
        for (URI trusted : s.authorizationServers()) {
            if (trusted.toString().equals(iss)) {
                return trusted;
            }
        }
        throw new TokenRejected("untrusted iss");
    }

    /** The audiences, which must include this resource's canonical URI exactly (RFC 8707 §2, RFC 9068 §4). */
    static List<String> audience(ProtectedResourceSettings s, List<String> aud) throws TokenRejected {
        if (aud == null || aud.isEmpty()) {
            throw new TokenRejected("no aud");
        }
        if (aud.contains(null)) {
            throw new TokenRejected("aud holds a null");
        }
        if (!aud.contains(s.resource().toString())) {
            throw new TokenRejected("aud does not name this resource");
        }
        return List.copyOf(aud);
    }

    /**
     * Checks {@code exp} (required unless {@code expRequired} is false), {@code nbf} and {@code iat} against now,
     * each with the skew: refused on or after {@code exp + skew}, before {@code nbf - skew}, or when issued after
     * {@code now + skew}.
     */
    static void times(ProtectedResourceSettings s, Instant exp, Instant nbf, Instant iat, boolean expRequired)
            throws TokenRejected {
        Instant now = s.clock().instant();
        Duration skew = s.clockSkew();
        if (exp == null) {
            if (expRequired) {
                throw new TokenRejected("no exp");
            }
        } else if (!now.isBefore(exp.plus(skew))) {
            throw new TokenRejected("expired");
        }
        if (nbf != null && nbf.isAfter(now.plus(skew))) {
            throw new TokenRejected("nbf in the future");
        }
        if (iat != null && iat.isAfter(now.plus(skew))) {
            throw new TokenRejected("iat in the future");
        }
    }

    /** A required identifier claim ({@code sub}, {@code client_id}): present, not blank, of sane length. */
    static String identifier(String name, String value) throws TokenRejected {
        if (value == null || value.isBlank()) {
            throw new TokenRejected("no " + name);
        }
        if (value.length() > MAX_IDENTIFIER) {
            throw new TokenRejected(name + " too long");
        }
        return value;
    }
}
