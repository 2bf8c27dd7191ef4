package io.github.mcpoauth.core.event;

import java.lang.System.Logger.Level;

/**
 * Receives {@link AuditEvent}s. Called synchronously on the request thread: keep it quick. An exception thrown by
 * a listener is logged and otherwise ignored; it never fails the request.
 */
@FunctionalInterface
public interface AuditListener {

    /** Called once for each event. */
    void onEvent(AuditEvent event);

    /** The default: each event as one line on the {@code io.github.mcpoauth.audit} {@link System.Logger}. */
    static AuditListener logging() {
        System.Logger log = System.getLogger("io.github.mcpoauth.audit");
        return e -> {
            Level level = switch (e.type()) {
                case CODE_REPLAYED, REFRESH_TOKEN_REUSED, AUTHENTICATION_FAILED, RATE_LIMITED, GRANT_REFUSED ->
                        Level.WARNING;
                default -> Level.INFO;
            };
            if (log.isLoggable(level)) {
                log.log(level, "{0} client={1} subject={2} grant={3} {4}", e.type(), clean(e.clientId().orElse("-")),
                        clean(e.subject().orElse("-")), clean(e.grantId().orElse("-")), clean(e.detail()));
            }
        };
    }

    /**
     * {@code value} made safe for one log line: control characters (CR, LF, …) become {@code ?} so that a client
     * cannot forge log lines with the ids it claims, and the value is cut at 200 characters.
     */
    static String clean(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), 200));
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return value.length() > 200 ? b.append('…').toString() : b.toString();
    }

    /** A listener that ignores every event. */
    static AuditListener none() {
        return e -> {
        };
    }

    /** {@code listener}, guarded so that an exception it throws is logged and swallowed. */
    static AuditListener guarded(AuditListener listener) {
        System.Logger log = System.getLogger("io.github.mcpoauth.audit");
        return e -> {
            try {
                listener.onEvent(e);
            } catch (RuntimeException failure) {
                log.log(Level.WARNING, "audit listener failed on " + e.type(), failure);
            }
        };
    }
}
