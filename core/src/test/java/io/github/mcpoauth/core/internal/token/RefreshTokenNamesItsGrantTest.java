package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refresh tokens are {@code <grant id>.<secret>}, and the in-memory store finds a rotated-out one through the grant
 * it names: reuse of any of the last {@value GrantStore#ROTATED_HASHES_KEPT} rotated-out tokens still revokes the
 * family (RFC 9700 §4.14.2), an older one is merely unknown, and a token whose grant id part is changed or missing
 * matches nothing and revokes nothing.
 */
class RefreshTokenNamesItsGrantTest {

    private TestServer server;
    private RegisteredClient client;
    private TokenSet tokens;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        tokens = server.tokens(client);
    }

    private HTTPResponse refresh(String refreshToken) {
        return server.token(server.refresh(client, refreshToken));
    }

    private static void assertInvalidGrant(HTTPResponse r) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(Responses.error(r)).isEqualTo("invalid_grant");
    }

    /** The first token and every one issued by {@code rotations} rotations, oldest first. */
    private List<String> rotate(int rotations) {
        List<String> chain = new ArrayList<>(List.of(tokens.refreshToken()));
        for (int i = 0; i < rotations; i++) {
            HTTPResponse r = refresh(chain.get(chain.size() - 1));
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            chain.add(TokenSet.of(r).refreshToken());
        }
        return chain;
    }

    private static String secretOf(String refreshToken) {
        return refreshToken.substring(refreshToken.lastIndexOf('.') + 1);
    }

    @Test
    void whenATokenRotatedOutSixteenRotationsAgoIsReusedThenTheFamilyIsRevoked() {
        List<String> chain = rotate(GrantStore.ROTATED_HASHES_KEPT);

        assertInvalidGrant(refresh(chain.get(0)));

        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).hasSize(1);
        assertInvalidGrant(refresh(chain.get(chain.size() - 1)));
    }

    @Test
    void whenEachOfTheLastSixteenRotatedOutTokensIsReusedThenTheFamilyIsRevoked() {
        for (int back = 1; back <= GrantStore.ROTATED_HASHES_KEPT; back++) {
            setUp();
            List<String> chain = rotate(GrantStore.ROTATED_HASHES_KEPT);

            assertInvalidGrant(refresh(chain.get(chain.size() - 1 - back)));

            assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).as("%d back", back).hasSize(1);
            assertInvalidGrant(refresh(chain.get(chain.size() - 1)));
        }
    }

    @Test
    void whenATokenRotatedOutSeventeenRotationsAgoIsPresentedThenItIsUnknownAndTheGrantLivesOn() {
        List<String> chain = rotate(GrantStore.ROTATED_HASHES_KEPT + 1);

        assertInvalidGrant(refresh(chain.get(0)));

        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).isEmpty();
        assertThat(refresh(chain.get(chain.size() - 1)).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenTheGrantIdPartNamesAnotherGrantThenInvalidGrantAndNeitherGrantIsRevoked() {
        TokenSet other = server.tokens(client);
        String otherGrant = other.refreshToken().substring(0, other.refreshToken().lastIndexOf('.'));
        List<String> chain = rotate(1); // chain.get(0) is rotated out now: reusing it as is would revoke

        assertInvalidGrant(refresh(otherGrant + "." + secretOf(chain.get(1))));
        assertInvalidGrant(refresh(otherGrant + "." + secretOf(chain.get(0))));
        assertInvalidGrant(refresh(secretOf(chain.get(1))));
        assertInvalidGrant(refresh("." + secretOf(chain.get(1))));

        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).isEmpty();
        assertThat(refresh(chain.get(1)).getStatusCode()).isEqualTo(200);
        assertThat(refresh(other.refreshToken()).getStatusCode()).isEqualTo(200);
    }
}
