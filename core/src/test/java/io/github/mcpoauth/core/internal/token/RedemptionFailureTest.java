package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #6: redeeming a code is atomic with saving its grant. A store failure answers 503 with
 * {@code Retry-After}, leaves the code redeemable, and the retry succeeds; only a real replay is audited as one.
 */
class RedemptionFailureTest {

    private final FailingGrants grants = new FailingGrants();
    private TestServer server;
    private RegisteredClient client;
    private PkcePair pkce;
    private String code;

    @BeforeEach
    void setUp() {
        server = TestServer.builder().stores(clock -> {
            Stores memory = InMemoryStores.create(clock);
            grants.delegate = memory.grants();
            return new Stores(memory.clients(), memory.codes(), grants, memory.consents(), memory.keys());
        }).build();
        client = server.save(TestClients.publicClient());
        pkce = PkcePair.random();
        code = server.authorizeCode(client, pkce);
    }

    private HTTPResponse redeem() {
        return server.token(server.redemption(client, code, pkce.verifier()));
    }

    @Test
    void whenGrantSaveFailsThenUnavailableAndTheRetrySucceeds() {
        grants.failures.set(1);

        HTTPResponse failed = redeem();

        assertThat(failed.getStatusCode()).as(failed.getBody()).isEqualTo(503);
        assertThat(failed.getHeaderValue("Retry-After")).isNotBlank();
        assertThat(Responses.error(failed)).isEqualTo("temporarily_unavailable");
        HTTPResponse retry = redeem();
        assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(200);
        assertThat(server.audit().events(AuditEvent.Type.CODE_REPLAYED)).isEmpty();
        assertThat(server.audit().events(AuditEvent.Type.CODE_REDEEMED)).hasSize(1);
    }

    @Test
    void whenRedeemedAgainAfterSuccessThenReplayAuditedAndGrantRevoked() {
        grants.failures.set(1);
        redeem();
        HTTPResponse ok = redeem();
        String grantId = server.audit().events(AuditEvent.Type.CODE_REDEEMED).get(0).grantId().orElseThrow();

        HTTPResponse replay = redeem();

        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(replay.getStatusCode()).isEqualTo(400);
        assertThat(Responses.error(replay)).isEqualTo("invalid_grant");
        assertThat(server.audit().events(AuditEvent.Type.CODE_REPLAYED)).hasSize(1);
        assertThat(server.stores().grants().findById(grantId).orElseThrow().revoked()).isTrue();
    }

    /** A grant store whose next {@link #failures} saves fail as an unreachable database would. */
    private static final class FailingGrants implements GrantStore {
        final AtomicInteger failures = new AtomicInteger();
        GrantStore delegate;

        @Override
        public void save(Grant grant) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw StoreException.unavailable("save grant failed: store unavailable (test)", null);
            }
            delegate.save(grant);
        }

        @Override
        public Optional<Grant> findById(String grantId) {
            return delegate.findById(grantId);
        }

        @Override
        public Optional<Grant> findByRefreshToken(String grantId, String refreshTokenHash) {
            return delegate.findByRefreshToken(grantId, refreshTokenHash);
        }

        @Override
        public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
            return delegate.rotate(grantId, expectedHash, newHash, newExpiresAt);
        }

        @Override
        public void revoke(String grantId) {
            delegate.revoke(grantId);
        }
    }
}
