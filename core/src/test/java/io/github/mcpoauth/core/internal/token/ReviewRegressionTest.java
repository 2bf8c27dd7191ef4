package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Holes a review found: each test failed before its fix. */
class ReviewRegressionTest {

    @Test
    void whenAnotherClientReplaysAUsedCodeThenTheRightfulGrantSurvives() throws Exception {
        TestServer server = TestServer.create();
        RegisteredClient victim = server.save(TestClients.publicClient());
        RegisteredClient attacker = server.save(TestClients.publicClient());
        PkcePair pkce = PkcePair.random();
        String code = server.authorizeCode(victim, pkce);
        TestServer.TokenSet tokens = TestServer.TokenSet.of(server.token(server.redemption(victim, code,
                pkce.verifier())));

        HTTPResponse replay = server.token(server.redemption(attacker, code, pkce.verifier()));

        assertThat(replay.getStatusCode()).isEqualTo(400);
        assertThat(replay.getBody()).contains("invalid_grant");
        assertThat(server.token(server.refresh(victim, tokens.refreshToken())).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenARootResourceIsSentWithATrailingSlashThenItIsTheConfiguredResource() throws Exception {
        TestServer server = TestServer.builder()
                .settings(s -> s.resource(URI.create("https://root.example.com"))).build();
        RegisteredClient client = server.save(TestClients.publicClient());

        TestServer.TokenSet tokens = server.tokens(client, p -> p.set("resource", "https://root.example.com/"));

        assertThat(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getAudience())
                .containsExactly("https://root.example.com");
        HTTPResponse refreshed = server.token(server.refresh(client, tokens.refreshToken())
                .param("resource", "https://root.example.com/"));
        assertThat(refreshed.getStatusCode()).as(refreshed.getBody()).isEqualTo(200);
    }
}
