package io.github.mcpoauth.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something security-relevant that happened, for logs and alerts. Carries identifiers only: never a secret,
 * code or token value.
 *
 * @param type what happened
 * @param at when, on the server's clock
 * @param clientId the client involved, if known
 * @param subject the resource owner involved, if known
 * @param grantId the grant involved, if any
 * @param detail a short human-readable detail (an error code, a scope list), never a secret
 */
public record AuditEvent(Type type, Instant at, Optional<String> clientId, Optional<String> subject,
        Optional<String> grantId, String detail) {

    /** The kinds of event. */
    public enum Type {
        /** A client registered dynamically (RFC 7591). */
        CLIENT_REGISTERED,
        /** A resource owner approved a client's request. */
        CONSENT_GRANTED,
        /** A resource owner denied a client's request. */
        CONSENT_DENIED,
        /** An authorization code was issued. */
        CODE_ISSUED,
        /** An authorization code was redeemed. */
        CODE_REDEEMED,
        /** An already redeemed authorization code was presented again; its grant was revoked. */
        CODE_REPLAYED,
        /** Tokens were issued for a new grant. */
        TOKEN_ISSUED,
        /** A refresh token was rotated. */
        TOKEN_REFRESHED,
        /** A rotated-out refresh token was presented again; its grant was revoked. */
        REFRESH_TOKEN_REUSED,
        /** A grant was revoked (RFC 7009). */
        TOKEN_REVOKED,
        /** A client failed to authenticate. */
        AUTHENTICATION_FAILED,
        /** A request was refused by a rate limit. */
        RATE_LIMITED,
        /**
         * A new grant was refused because the grant store holds its maximum (the in-memory store's cap); the
         * client got 503 and may retry. No live grant was dropped to make room.
         */
        GRANT_REFUSED,
        /**
         * A resource owner's oldest grant for a client was dropped to make room for their new one: they hold the
         * most grants the store keeps per resource owner and client (the in-memory store's per-user cap).
         */
        GRANT_REPLACED
    }

    /** Checks the invariants. */
    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(detail, "detail");
    }

    /** An event of {@code type} at {@code at} with only a client id. */
    public static AuditEvent of(Type type, Instant at, String clientId, String detail) {
        return new AuditEvent(type, at, Optional.ofNullable(clientId), Optional.empty(), Optional.empty(), detail);
    }
}
