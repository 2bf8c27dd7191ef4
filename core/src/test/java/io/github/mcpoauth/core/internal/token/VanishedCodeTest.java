package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A code that is gone when it is redeemed (it expired, or a store dropped it, between the token endpoint's look-up
 * and its redemption) is refused as invalid, and is not mistaken for a replay: no grant is revoked and no
 * {@code CODE_REPLAYED} is audited. A code found consumed after a failed redemption still is a replay.
 */
class VanishedCodeTest {

    @Test
    void whenTheCodeVanishesBeforeRedemptionThenInvalidGrantWithoutReplay() {
        VanishingCodes codes = new VanishingCodes();
        TestServer server = TestServer.builder().stores(clock -> {
            Stores memory = InMemoryStores.create(clock);
            codes.delegate = memory.codes();
            return new Stores(memory.clients(), codes, memory.grants(), memory.consents(), memory.keys());
        }).build();
        RegisteredClient client = server.save(TestClients.publicClient());
        PkcePair pkce = PkcePair.random();
        String code = server.authorizeCode(client, pkce);

        HTTPResponse response = server.token(server.redemption(client, code, pkce.verifier()));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(Responses.error(response)).isEqualTo("invalid_grant");
        assertThat(server.audit().events(AuditEvent.Type.CODE_REPLAYED)).isEmpty();
        assertThat(server.audit().events(AuditEvent.Type.CODE_REDEEMED)).isEmpty();
    }

    /** A code store whose codes vanish at redemption, as an expired or dropped code would. */
    private static final class VanishingCodes implements AuthorizationCodeStore {
        AuthorizationCodeStore delegate;
        volatile boolean vanished;

        @Override
        public void save(AuthorizationCode code) {
            delegate.save(code);
        }

        @Override
        public Optional<AuthorizationCode> find(String codeHash) {
            return vanished ? Optional.empty() : delegate.find(codeHash);
        }

        @Override
        public boolean consume(String codeHash) {
            vanished = true;
            return false;
        }

        @Override
        public boolean redeem(String codeHash, Grant grant, GrantStore grants) {
            vanished = true;
            return false;
        }
    }
}
