package io.github.mcpoauth.core.store;

import java.util.Optional;

/**
 * Storage of {@link AuthorizationCode}s with an atomic, single-use {@link #consume}.
 *
 * <p>A consumed code must stay findable (with {@code consumed = true}) until it expires, so that a replay is
 * recognised and can revoke what the code issued (RFC 6749 §4.1.2, RFC 9700 §4.2.4). Implementations may drop a
 * code after its {@link AuthorizationCode#expiresAt()}.
 */
public interface AuthorizationCodeStore {

    /** Saves a new, unconsumed code. */
    void save(AuthorizationCode code);

    /** The code with this hash, consumed or not, if it is still held. */
    Optional<AuthorizationCode> find(String codeHash);

    /**
     * Marks the code as consumed, atomically: of any number of concurrent calls for one code, on any number of
     * nodes, exactly one returns {@code true}.
     *
     * @return {@code true} if this call consumed it; {@code false} if it was consumed already or is unknown
     */
    boolean consume(String codeHash);
}
