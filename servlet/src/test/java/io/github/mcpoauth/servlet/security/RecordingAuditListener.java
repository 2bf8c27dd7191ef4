package io.github.mcpoauth.servlet.security;

import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every audit event, for assertions. */
final class RecordingAuditListener implements AuditListener {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(AuditEvent event) {
        events.add(event);
    }

    List<AuditEvent> events() {
        return List.copyOf(events);
    }

    List<AuditEvent.Type> types() {
        return events.stream().map(AuditEvent::type).toList();
    }

    long count(AuditEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    void clear() {
        events.clear();
    }
}
