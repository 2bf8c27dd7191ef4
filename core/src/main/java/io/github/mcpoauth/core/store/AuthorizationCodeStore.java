package io.github.mcpoauth.core.store;

import java.util.Optional;

/**
 * Storage of {@link AuthorizationCode}s with an atomic, single-use {@link #consume}.
 *
 * <p>A consumed code must stay findable (with {@code consumed = true}) until it expires, so that a replay is
 * recognised and can revoke what the code issued (RFC 6749 §4.1.2, RFC 9700 §4.2.4). Implementations may drop a
 * code after its {@link AuthorizationCode#expiresAt()}.
 *
 * <p>The token endpoint redeems a code with {@link #redeem}: the code is consumed and the grant it creates saved
 * as one atomic step, so that a failure leaves the code redeemable (the client's retry succeeds) and only a real
 * replay finds the code consumed.
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

    /**
     * Consumes the code and saves into {@code grants} the grant its redemption creates, as one atomic step:
     * both happen or neither. Of concurrent calls for one code, exactly one returns {@code true}.
     *
     * <p>The bundled stores do it atomically: the in-memory store saves the grant while it holds the code's entry,
     * the JDBC store in one transaction when {@code grants} is a JDBC grant store on the same {@code DataSource}.
     * The default (for other stores) consumes, then saves: a failed save leaves the code consumed.
     *
     * @return {@code true} if this call consumed the code and saved the grant; {@code false}, saving nothing, if
     *     the code was consumed already or is unknown
     * @throws StoreException (or another runtime exception) if either step failed; then, in the bundled stores,
     *     the code is still redeemable and no grant was saved
     */
    default boolean redeem(String codeHash, Grant grant, GrantStore grants) {
        if (!consume(codeHash)) {
            return false;
        }
        grants.save(grant);
        return true;
    }
}
