package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import org.junit.jupiter.api.Test;

/** Issue 14 #1 through the token endpoint: a full in-memory grant store answers 503, and keeps the code. */
class GrantCapacityTest {

    @Test
    void whenGrantStoreFullThenRedemptionAnswers503WithRetryAfterAndTheCodeStaysRedeemable() {
        TestServer server = TestServer.builder()
                .stores(clock -> InMemoryStores.newBuilder(clock).maxGrants(1).build().stores()).build();
        RegisteredClient client = server.save(TestClients.publicClient());
        assertThat(server.tokens(client).accessToken()).isNotBlank(); // takes the one slot
        PkcePair pkce = PkcePair.random();
        String code = server.authorizeCode(client, pkce);

        HTTPResponse full = server.token(server.redemption(client, code, pkce.verifier()));

        assertThat(full.getStatusCode()).as(full.getBody()).isEqualTo(503);
        assertThat(Responses.error(full)).isEqualTo("temporarily_unavailable");
        assertThat(full.getHeaderValue("Retry-After")).isNotBlank();
        String grantId = server.stores().codes().find(Secrets.hash(code))
                .orElseThrow().grantId();
        assertThat(server.stores().codes().find(Secrets.hash(code)).orElseThrow()
                .consumed()).isFalse();
        assertThat(server.audit().events(AuditEvent.Type.CODE_REPLAYED)).isEmpty();
        assertThat(server.stores().grants().findById(grantId)).isEmpty();
    }
}
