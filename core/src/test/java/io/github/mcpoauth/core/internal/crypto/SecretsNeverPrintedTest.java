package io.github.mcpoauth.core.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.authorization.ValidatedAuthorization;
import io.github.mcpoauth.core.fixtures.AuthorizationParams;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.SigningKey;
import org.junit.jupiter.api.Test;

/** SECURITY.md case 34: no secret, code, token or their hashes in {@code toString()}. */
class SecretsNeverPrintedTest {

    private final TestServer server = TestServer.create();

    @Test
    void whenAConfidentialClientIsPrintedThenItsSecretHashIsNot() {
        HTTPResponse r = server.server().registration().handle(io.github.mcpoauth.core.fixtures.Requests.json(
                server.registrationUri(), "{\"redirect_uris\":[\"https://app.example.com/cb\"]}"));
        String secret = (String) Responses.json(r).get("client_secret");
        RegisteredClient client = server.stores().clients()
                .findById(new com.nimbusds.oauth2.sdk.id.ClientID((String) Responses.json(r).get("client_id")))
                .orElseThrow();

        assertThat(client.toString()).doesNotContain(secret).doesNotContain(Secrets.hash(secret));
    }

    @Test
    void whenAGrantIsPrintedThenItsRefreshTokenHashIsNot() {
        RegisteredClient client = server.save(TestClients.publicClient());
        TokenSet tokens = server.tokens(client);
        Grant grant = server.stores().grants().findByRefreshToken(
                tokens.refreshToken().substring(0, tokens.refreshToken().lastIndexOf('.')),
                Secrets.hash(tokens.refreshToken())).orElseThrow();

        assertThat(grant.toString()).doesNotContain(Secrets.hash(tokens.refreshToken()))
                .doesNotContain(tokens.refreshToken());
    }

    @Test
    void whenASigningKeyIsPrintedThenItsPrivateKeyIsNot() {
        server.server().signingKeys().currentKey();
        SigningKey key = server.stores().keys().findAll().get(0);

        assertThat(key.toString()).doesNotContain(key.jwkJson()).doesNotContain("\"d\"");
    }

    @Test
    void whenAValidatedRequestIsPrintedThenNoSecretIsInIt() {
        RegisteredClient client = server.save(TestClients.confidentialClient());
        ValidatedAuthorization v = server.validated(AuthorizationParams.valid(client, PkcePair.random()));

        assertThat(v.toString()).doesNotContain(client.secretHash().orElseThrow()).doesNotContain(TestClients.SECRET);
    }

    @Test
    void whenAnAuthorizationCodeIsPrintedThenItsHashIsNot() {
        RegisteredClient client = server.save(TestClients.publicClient());
        String code = server.authorizeCode(client, PkcePair.random());
        AuthorizationCode stored = server.stores().codes().find(Secrets.hash(code)).orElseThrow();

        assertThat(stored.toString()).doesNotContain(Secrets.hash(code)).doesNotContain(code);
    }
}
