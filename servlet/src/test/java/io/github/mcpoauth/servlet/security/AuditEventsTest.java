package io.github.mcpoauth.servlet.security;

import static io.github.mcpoauth.servlet.security.SecurityFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit trail: a full flow with its failures emits every typed event, with identifiers (client, subject,
 * grant) and the server's time, through the listener given to {@code McpOAuth.Builder.auditListener}; a listener
 * that throws never fails a request.
 */
class AuditEventsTest {

    private static final RateLimits TIGHT_INTROSPECTION = RateLimits.defaults()
            .with(RateLimits.Endpoint.INTROSPECTION, RateLimits.Key.CLIENT, RateLimit.perMinute(2));

    @Test
    void whenFlowAndFailuresRunThenEveryTypedEventIsEmittedWithItsIdentifiers() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(TIGHT_INTROSPECTION))) {
            McpClient client = fx.publicClient();
            assertLast(fx, AuditEvent.Type.CLIENT_REGISTERED, client.clientId(), null, false);

            SecurityFixture.Tokens t = fx.grant(client, "alice");
            assertThat(fx.audit.types()).containsSubsequence(AuditEvent.Type.CONSENT_GRANTED,
                    AuditEvent.Type.CODE_ISSUED, AuditEvent.Type.CODE_REDEEMED);
            AuditEvent issued = only(fx, AuditEvent.Type.CODE_ISSUED);
            AuditEvent redeemed = only(fx, AuditEvent.Type.CODE_REDEEMED);
            assertThat(issued.grantId()).isPresent().isEqualTo(redeemed.grantId());
            assertThat(only(fx, AuditEvent.Type.CONSENT_GRANTED).subject()).hasValue("alice");

            String refresh2 = McpClient.json(client.refresh(t.refreshToken())).get("refresh_token").asText();
            assertLast(fx, AuditEvent.Type.TOKEN_REFRESHED, client.clientId(), "alice", true);
            client.refresh(t.refreshToken());
            assertLast(fx, AuditEvent.Type.REFRESH_TOKEN_REUSED, client.clientId(), "alice", true);
            assertThat(refresh2).isNotEmpty();

            SecurityFixture.Tokens t2 = fx.grant(client, "alice");
            client.redeem(t2.code(), t2.verifier());
            assertLast(fx, AuditEvent.Type.CODE_REPLAYED, client.clientId(), "alice", true);

            SecurityFixture.Tokens t3 = fx.grant(client, "alice");
            client.authenticated(fx.uri("/oauth2/revoke"), form("token", t3.refreshToken()));
            assertLast(fx, AuditEvent.Type.TOKEN_REVOKED, client.clientId(), "alice", true);

            McpClient denied = fx.publicClient();
            denied.approve(fx.consentPage(fx.browser, denied, McpClient.pkce(), "alice").body(), "deny");
            assertLast(fx, AuditEvent.Type.CONSENT_DENIED, denied.clientId(), "alice", false);

            McpClient confidential = fx.client("client_secret_basic");
            fx.browser.post(fx.uri("/oauth2/token"), form("grant_type", "refresh_token", "refresh_token", "x"),
                    "Authorization", TokenEndpointSecurityCasesTest.basicAuth(confidential.clientId(), "wrong"));
            assertLast(fx, AuditEvent.Type.AUTHENTICATION_FAILED, confidential.clientId(), null, false);

            // Rate limited: one event per run of refusals, not one per refused request.
            McpClient rs = fx.resourceServer();
            for (int i = 0; i < 5; i++) {
                fx.introspect(t.accessToken());
            }
            AuditEvent limited = only(fx, AuditEvent.Type.RATE_LIMITED);
            assertThat(limited.clientId()).hasValue(rs.clientId());
            assertThat(limited.detail()).contains("endpoint=introspection", "by=client", "address=127.0.0.1",
                    "retry_after=30s");
            fx.clock.advance(Duration.ofSeconds(30));
            assertThat(fx.introspect(t.accessToken()).statusCode()).isEqualTo(200);
            fx.introspect(t.accessToken());
            assertThat(fx.audit.count(AuditEvent.Type.RATE_LIMITED)).isEqualTo(2);

            assertThat(fx.audit.events()).allSatisfy(e -> {
                assertThat(e.at()).isBeforeOrEqualTo(fx.clock.instant());
                assertThat(e.clientId()).isPresent();
            });
            assertThat(fx.audit.types()).containsAll(List.of(AuditEvent.Type.CLIENT_REGISTERED,
                    AuditEvent.Type.CONSENT_GRANTED, AuditEvent.Type.CONSENT_DENIED, AuditEvent.Type.CODE_ISSUED,
                    AuditEvent.Type.CODE_REDEEMED, AuditEvent.Type.CODE_REPLAYED, AuditEvent.Type.TOKEN_REFRESHED,
                    AuditEvent.Type.REFRESH_TOKEN_REUSED, AuditEvent.Type.TOKEN_REVOKED,
                    AuditEvent.Type.AUTHENTICATION_FAILED, AuditEvent.Type.RATE_LIMITED));
        }
    }

    @Test
    void whenAuditListenerThrowsThenRequestsStillSucceed() throws Exception {
        try (SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(TIGHT_INTROSPECTION)
                .auditListener(e -> {
                    throw new IllegalStateException("listener down");
                }))) {
            McpClient client = fx.publicClient();
            SecurityFixture.Tokens t = fx.grant(client, "alice");
            assertThat(client.refresh(t.refreshToken()).statusCode()).isEqualTo(200);
            HttpResponse<String> last = null;
            for (int i = 0; i < 3; i++) {
                last = fx.introspect(t.accessToken());
            }
            assertThat(last.statusCode()).isEqualTo(429);
        }
    }

    private static AuditEvent only(SecurityFixture fx, AuditEvent.Type type) {
        List<AuditEvent> matching = fx.audit.events().stream().filter(e -> e.type() == type).toList();
        assertThat(matching).as("events of type %s", type).hasSize(1);
        return matching.get(0);
    }

    private static void assertLast(SecurityFixture fx, AuditEvent.Type type, String clientId, String subject,
            boolean withGrant) {
        List<AuditEvent> events = fx.audit.events();
        AuditEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(type);
        assertThat(last.clientId()).hasValue(clientId);
        assertThat(last.subject()).isEqualTo(Optional.ofNullable(subject));
        assertThat(last.grantId().isPresent()).isEqualTo(withGrant);
        assertThat(last.at()).isEqualTo(fx.clock.instant());
    }
}
