package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh token issued before refresh tokens named their grant (a bare secret, no {@code <grant id>.} part),
 * held in PostgreSQL: it still refreshes, by its hash alone; its successor names the grant; and its reuse once
 * rotated out still revokes the family.
 */
class LegacyRefreshTokenJdbcTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    private final MutableClock clock = MutableClock.at(MutableClock.START);
    private TestServer server;
    private RegisteredClient client;
    private String legacy;
    private String grantId;

    @BeforeEach
    void setUp() {
        SCHEMA.truncate();
        server = TestServer.builder().clock(clock).stores(SCHEMA::stores).build();
        client = server.save(TestClients.publicClient());
        legacy = Secrets.create().newSecret();
        grantId = "legacy-grant-" + System.nanoTime();
        server.stores().grants().save(new Grant(grantId, client.clientId(), "alice", TestServer.DEFAULT_SCOPES,
                List.of(TestServer.RESOURCE), clock.instant(), Optional.of(Secrets.hash(legacy)),
                clock.instant().plus(Duration.ofDays(30)), false));
    }

    private HTTPResponse refresh(String refreshToken) {
        return server.token(server.refresh(client, refreshToken));
    }

    @Test
    void whenATokenThatNamesNoGrantIsPresentedThenItRefreshesAndItsSuccessorNamesTheGrant() {
        HTTPResponse r = refresh(legacy);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        String next = TokenSet.of(r).refreshToken();
        assertThat(next).startsWith(grantId + ".");
        assertThat(refresh(next).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenATokenThatNamesNoGrantIsReusedAfterItsRotationThenTheFamilyIsRevoked() {
        String next = TokenSet.of(refresh(legacy)).refreshToken();

        HTTPResponse reuse = refresh(legacy);

        assertThat(reuse.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(reuse)).isEqualTo("invalid_grant");
        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).hasSize(1);
        assertThat(refresh(next).getStatusCode()).isEqualTo(400);
    }

    @Test
    void whenAnotherGrantIdIsPrefixedToATokenThenInvalidGrantAndNothingIsRevoked() {
        TokenSet other = server.tokens(client);
        String otherGrant = other.refreshToken().substring(0, other.refreshToken().lastIndexOf('.'));

        assertThat(refresh(otherGrant + "." + legacy).getStatusCode()).isEqualTo(400);

        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).isEmpty();
        assertThat(refresh(legacy).getStatusCode()).isEqualTo(200);
        assertThat(refresh(other.refreshToken()).getStatusCode()).isEqualTo(200);
    }
}
