package io.github.mcpoauth.core.resource;

import java.util.Map;
import java.util.Optional;

/** Reads the {@code cnf} claim of a token (RFC 7800 §3.1) for a DPoP key thumbprint ({@code jkt}, RFC 9449 §6). */
final class Confirmations {

    private static final int MAX_JKT = 128;

    private Confirmations() {
    }

    /**
     * The {@code jkt} of {@code cnf}, if there is one; a {@code cnf} that is present but holds no usable
     * {@code jkt} is refused, so that a token bound in a way this server does not understand never passes as a
     * bearer token.
     */
    static Optional<String> jkt(Map<String, Object> cnf) throws TokenRejected {
        if (cnf == null) {
            return Optional.empty();
        }
        if (cnf.get("jkt") instanceof String jkt && !jkt.isEmpty() && jkt.length() <= MAX_JKT) {
            return Optional.of(jkt);
        }
        throw new TokenRejected("cnf without a usable jkt");
    }
}
