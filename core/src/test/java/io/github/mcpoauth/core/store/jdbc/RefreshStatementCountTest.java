package io.github.mcpoauth.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a refresh on PostgreSQL costs at most two statements (the look-up by hash, then one rotation
 * statement) and no transaction round trips, counted on the wire by a {@link RecordingDataSource}.
 */
class RefreshStatementCountTest {

    private static final TestSchema SCHEMA = TestSchema.create();

    private final MutableClock clock = MutableClock.at(MutableClock.START);
    private RecordingDataSource recording;
    private GrantStore grants;

    @BeforeEach
    void setUp() {
        recording = new RecordingDataSource(SCHEMA.dataSource);
        grants = JdbcStores.newBuilder(recording.dataSource(), clock).schema(SCHEMA.name).build().stores().grants();
    }

    @Test
    void whenAGrantIsFoundByItsRefreshTokenAndRotatedThenTwoStatementsAndNoCommit() {
        Grant grant = TestGrants.grant().build();
        grants.save(grant);
        String next = TestGrants.newRefreshTokenHash();
        recording.reset();

        Grant found = grants.findByRefreshToken(grant.grantId(), grant.refreshTokenHash().orElseThrow()).orElseThrow();
        boolean rotated = grants.rotate(found.grantId(), grant.refreshTokenHash().orElseThrow(), next,
                MutableClock.START.plusSeconds(3600));

        assertThat(rotated).isTrue();
        assertThat(recording.executed()).hasSize(2);
        assertThat(recording.commits()).isZero();
        assertThat(grants.findByRefreshToken(grant.grantId(), next).orElseThrow().refreshTokenHash()).contains(next);
        assertThat(grants.rotationOf(grant.grantId(), grant.refreshTokenHash().orElseThrow())
                .orElseThrow().replacedBy()).isEqualTo(next);
    }

    @Test
    void whenARotationLosesTheCompareAndSetThenOneStatementAndNothingRecorded() {
        Grant grant = TestGrants.grant().build();
        grants.save(grant);
        String stale = TestGrants.newRefreshTokenHash();
        String next = TestGrants.newRefreshTokenHash();
        recording.reset();

        boolean rotated = grants.rotate(grant.grantId(), stale, next, MutableClock.START.plusSeconds(3600));

        assertThat(rotated).isFalse();
        assertThat(recording.executed()).hasSize(1);
        assertThat(grants.findByRefreshToken(grant.grantId(), next)).isEmpty();
        assertThat(grants.rotationOf(grant.grantId(), grant.refreshTokenHash().orElseThrow())).isEmpty();
    }

    @Test
    void whenAClientRefreshesAtTheTokenEndpointThenTheGrantCostsTwoStatementsAndTheClientOne() {
        TestServer server = TestServer.builder().clock(clock)
                .stores(c -> JdbcStores.newBuilder(recording.dataSource(), c).schema(SCHEMA.name).build().stores())
                .build();
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = server.tokens(client);
        recording.reset();

        HTTPResponse r = server.token(server.refresh(client, tokens.refreshToken()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        // The client's look-up (client authentication) is the client store's; the grant costs the other two.
        assertThat(recording.executed()).as("%s", recording.executed()).hasSize(3);
        assertThat(recording.touching(SCHEMA.tables.client + " ")).hasSize(1);
        assertThat(recording.executed()).filteredOn(e -> !e.sql().contains(SCHEMA.tables.client + " "))
                .hasSize(2)
                .allMatch(e -> e.sql().contains(SCHEMA.tables.grant + " "));
        assertThat(recording.commits()).as("%s", recording.executed()).isZero();
        assertThat(server.token(server.refresh(client, TokenSet.of(r).refreshToken())).getStatusCode())
                .isEqualTo(200);
    }
}
