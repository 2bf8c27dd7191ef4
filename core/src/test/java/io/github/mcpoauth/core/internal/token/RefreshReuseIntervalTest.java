package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #12: the optional refresh token reuse interval. Off (the default), presenting the token a rotation
 * replaced revokes the grant; on, presenting it again within the interval (a client whose answer was lost) gets
 * a new rotation of the same grant instead, and only once per rotation.
 */
class RefreshReuseIntervalTest {

    private TestServer server;
    private RegisteredClient client;

    private TokenSet start(Duration interval) {
        server = TestServer.builder().settings(s -> s.refreshTokenReuseInterval(interval)).build();
        client = server.save(TestClients.publicClient());
        return server.tokens(client);
    }

    private HTTPResponse refresh(String refreshToken) {
        return server.token(server.refresh(client, refreshToken));
    }

    private String rotate(String refreshToken) {
        HTTPResponse r = refresh(refreshToken);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return TokenSet.of(r).refreshToken();
    }

    private void assertReuseRevokes(HTTPResponse r, String stillHeld) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_grant");
        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).hasSize(1);
        assertThat(refresh(stillHeld).getStatusCode()).as("the grant is revoked").isEqualTo(400);
    }

    @Test
    void whenOffThenRetryWithTheRotatedTokenRevokesTheGrant() {
        TokenSet first = start(Duration.ZERO);
        String lost = rotate(first.refreshToken()); // the client never sees this answer

        assertReuseRevokes(refresh(first.refreshToken()), lost);
    }

    @Test
    void whenOnThenRetryWithinTheIntervalGetsAFreshRotationOfTheSameGrant() {
        TokenSet first = start(Duration.ofSeconds(5));
        String lost = rotate(first.refreshToken());
        server.clock().advance(Duration.ofSeconds(2));

        HTTPResponse retry = refresh(first.refreshToken());

        assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(200);
        String recovered = TokenSet.of(retry).refreshToken();
        assertThat(recovered).isNotEqualTo(lost).isNotEqualTo(first.refreshToken());
        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).isEmpty();
        assertThat(rotate(recovered)).isNotBlank(); // the same grant goes on
        assertThat(server.audit().events(AuditEvent.Type.TOKEN_REFRESHED)).hasSize(3)
                .extracting(AuditEvent::grantId).containsOnly(server.audit().events(AuditEvent.Type.TOKEN_ISSUED)
                        .get(0).grantId());
    }

    @Test
    void whenOnButTheIntervalHasPassedThenReuseRevokes() {
        TokenSet first = start(Duration.ofSeconds(5));
        String lost = rotate(first.refreshToken());
        server.clock().advance(Duration.ofSeconds(5));

        assertReuseRevokes(refresh(first.refreshToken()), lost);
    }

    @Test
    void whenOnAndAnOlderTokenThanTheLastRotatedOneIsPresentedThenReuseRevokes() {
        TokenSet first = start(Duration.ofSeconds(5));
        String second = rotate(first.refreshToken());
        String third = rotate(second);

        assertReuseRevokes(refresh(first.refreshToken()), third);
    }

    @Test
    void whenOnAndTheRetryIsRetriedAgainThenReuseRevokes() {
        TokenSet first = start(Duration.ofSeconds(5));
        rotate(first.refreshToken());
        String recovered = rotate(first.refreshToken()); // first retry: recovered

        assertReuseRevokes(refresh(first.refreshToken()), recovered);
    }
}
