package io.github.mcpoauth.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.fixtures.RecordingAuditListener;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditListenerTest {

    private static final AuditEvent EVENT = AuditEvent.of(AuditEvent.Type.CODE_ISSUED, Instant.EPOCH, "c", "d");

    @Test
    void whenGuardedListenerThrowsThenTheExceptionIsSwallowed() {
        AuditListener failing = e -> {
            throw new IllegalStateException("boom");
        };

        assertThatCode(() -> AuditListener.guarded(failing).onEvent(EVENT)).doesNotThrowAnyException();
    }

    @Test
    void whenGuardedListenerWorksThenItGetsTheEvent() {
        RecordingAuditListener recording = new RecordingAuditListener();

        AuditListener.guarded(recording).onEvent(EVENT);

        assertThat(recording.events()).containsExactly(EVENT);
    }

    @Test
    void whenDefaultListenersGetEventsThenTheyDoNotThrow() {
        assertThatCode(() -> {
            for (AuditEvent.Type t : AuditEvent.Type.values()) {
                AuditListener.logging().onEvent(new AuditEvent(t, Instant.EPOCH, Optional.empty(), Optional.of("s"),
                        Optional.of("g"), "detail"));
                AuditListener.none().onEvent(EVENT);
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void whenEventLacksARequiredPartThenItIsRejected() {
        assertThatThrownBy(() -> new AuditEvent(null, Instant.EPOCH, Optional.empty(), Optional.empty(),
                Optional.empty(), "")).isInstanceOf(NullPointerException.class).hasMessage("type");
        assertThatThrownBy(() -> AuditEvent.of(AuditEvent.Type.CODE_ISSUED, Instant.EPOCH, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("detail");
        assertThat(AuditEvent.of(AuditEvent.Type.CODE_ISSUED, Instant.EPOCH, null, "d").clientId()).isEmpty();
    }

    @Test
    void whenTheServersListenerThrowsThenTheFlowStillWorks() {
        TestServer.Builder b = TestServer.builder();
        TestServer server = b.build();
        io.github.mcpoauth.core.AuthorizationServer failing = io.github.mcpoauth.core.AuthorizationServer.builder()
                .settings(server.settings()).auditListener(e -> {
                    throw new IllegalStateException("listener down");
                }).build();
        var client = TestClients.publicClient().build();
        failing.stores().clients().save(client);

        var outcome = failing.authorization().validate(io.github.mcpoauth.core.fixtures.AuthorizationParams
                .valid(client, io.github.mcpoauth.core.fixtures.PkcePair.random()).build());
        var valid = (io.github.mcpoauth.core.internal.authorization.AuthorizationOutcome.LoginRequired) outcome;

        assertThatCode(() -> failing.authorization().decide(valid.request(), "alice", true))
                .doesNotThrowAnyException();
    }

    @Test
    void whenAFlowRunsThenEventsCarryIdsButNoSecrets() {
        TestServer server = TestServer.create();
        var client = server.save(TestClients.confidentialClient());
        TestServer.TokenSet tokens = server.tokens(client);
        server.token(server.refresh(client, tokens.refreshToken()));
        server.token(server.refresh(client, tokens.refreshToken())); // reuse

        assertThat(server.audit().events(AuditEvent.Type.CODE_ISSUED)).hasSize(1);
        assertThat(server.audit().events(AuditEvent.Type.CONSENT_GRANTED)).hasSize(1);
        assertThat(server.audit().events(AuditEvent.Type.CODE_REDEEMED)).hasSize(1);
        assertThat(server.audit().events(AuditEvent.Type.TOKEN_REFRESHED)).hasSize(1);
        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).hasSize(1);
        for (AuditEvent e : server.audit().events()) {
            assertThat(e.toString()).doesNotContain(tokens.refreshToken()).doesNotContain(tokens.accessToken())
                    .doesNotContain(TestClients.SECRET);
            assertThat(e.clientId()).hasValue(client.clientId().getValue());
        }
    }
}
