package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.fixtures.AuthorizationParams;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each browser step is one decision of {@link AuthorizationEndpoint}: the query (or consent form) and whoever is
 * signed in go in; a local error, a redirect, "login required" or "consent required" comes out.
 */
class OneCallPerBrowserStepTest {

    private TestServer server;
    private RegisteredClient client;
    private PkcePair pkce;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        pkce = PkcePair.random();
    }

    private AuthorizationEndpoint endpoint() {
        return server.server().authorization();
    }

    @Test
    void whenRequestIsInvalidThenLocalErrorEvenWithAUserSignedIn() {
        AuthorizationOutcome outcome = endpoint().authorize(
                AuthorizationParams.valid(client, pkce).set("client_id", "nobody").build(), Optional.of("alice"));

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LocalError.class);
    }

    @Test
    void whenNobodyIsSignedInThenLoginRequiredWithTheValidatedRequest() {
        AuthorizationOutcome outcome = endpoint().authorize(AuthorizationParams.valid(client, pkce).build(),
                Optional.empty());

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LoginRequired.class);
        assertThat(((AuthorizationOutcome.LoginRequired) outcome).request().client().clientId())
                .isEqualTo(client.clientId());
    }

    @Test
    void whenSignedInWithoutConsentThenConsentRequiredForThatUser() {
        AuthorizationOutcome outcome = endpoint().authorize(AuthorizationParams.valid(client, pkce).build(),
                Optional.of("alice"));

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
        assertThat(((AuthorizationOutcome.ConsentRequired) outcome).subject()).isEqualTo("alice");
    }

    @Test
    void whenConsentFormApprovedBySignedInUserThenCodeRedirectAndTheNextRequestNeedsNoConsent() {
        AuthorizationOutcome approved = endpoint().decide(AuthorizationParams.valid(client, pkce).build(),
                Optional.of("alice"), true);

        assertThat(approved).isInstanceOf(AuthorizationOutcome.Redirect.class);
        AuthorizationOutcome.Redirect redirect = (AuthorizationOutcome.Redirect) approved;
        assertThat(redirect.error()).isFalse();
        assertThat(Responses.queryParam(redirect.location(), "code")).isNotBlank();
        assertThat(Responses.queryParam(redirect.location(), "iss")).isEqualTo(TestServer.ISSUER);

        AuthorizationOutcome again = endpoint().authorize(AuthorizationParams.valid(client, PkcePair.random())
                .build(), Optional.of("alice"));
        assertThat(again).isInstanceOf(AuthorizationOutcome.Redirect.class);
        assertThat(((AuthorizationOutcome.Redirect) again).error()).isFalse();
    }

    @Test
    void whenConsentFormPostedWithNobodySignedInThenLoginRequiredAndNoCode() {
        AuthorizationOutcome outcome = endpoint().decide(AuthorizationParams.valid(client, pkce).build(),
                Optional.empty(), true);

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.LoginRequired.class);
    }
}
