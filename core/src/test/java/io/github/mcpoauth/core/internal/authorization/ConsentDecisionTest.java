package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.AuthorizationParams;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SECURITY.md cases 8 and 11: authorize, consent, deny; consent is per user, client and scopes. */
class ConsentDecisionTest {

    private TestServer server;
    private AuthorizationEndpoint endpoint;
    private RegisteredClient client;
    private PkcePair pkce;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        endpoint = server.server().authorization();
        client = server.save(TestClients.publicClient());
        pkce = PkcePair.random();
    }

    private ValidatedAuthorization request(RegisteredClient c, String scope) {
        AuthorizationParams p = AuthorizationParams.valid(c, pkce);
        return server.validated(scope == null ? p : p.set("scope", scope));
    }

    private static URI assertCodeRedirect(AuthorizationOutcome outcome) {
        assertThat(outcome).isInstanceOf(AuthorizationOutcome.Redirect.class);
        AuthorizationOutcome.Redirect r = (AuthorizationOutcome.Redirect) outcome;
        assertThat(r.error()).isFalse();
        assertThat(Responses.queryParam(r.location(), "code")).matches("[A-Za-z0-9_-]{43}");
        assertThat(Responses.queryParam(r.location(), "iss")).isEqualTo(TestServer.ISSUER);
        assertThat(Responses.queryParam(r.location(), "state")).isEqualTo("state-123");
        assertThat(Responses.query(r.location())).doesNotContainKey("error");
        return r.location();
    }

    @Test
    void whenUserHasNotConsentedThenConsentIsRequired() {
        AuthorizationOutcome outcome = endpoint.authorize(request(client, null), "alice");

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
        assertThat(((AuthorizationOutcome.ConsentRequired) outcome).subject()).isEqualTo("alice");
        assertThat(server.audit().events(AuditEvent.Type.CODE_ISSUED)).isEmpty();
    }

    @Test
    void whenUserApprovesThenCodeRedirectAndTheCodeIsStoredAsHashWithTheRequest() {
        ValidatedAuthorization v = request(client, "mcp:read");

        URI location = assertCodeRedirect(endpoint.decide(v, "alice", true));

        String code = Responses.queryParam(location, "code");
        AuthorizationCode stored = server.stores().codes().find(Secrets.hash(code)).orElseThrow();
        assertThat(stored.clientId()).isEqualTo(client.clientId());
        assertThat(stored.subject()).isEqualTo("alice");
        assertThat(stored.scopes()).containsExactly("mcp:read");
        assertThat(stored.resources()).containsExactly(TestServer.RESOURCE);
        assertThat(stored.codeChallenge()).isEqualTo(pkce.challenge());
        assertThat(stored.redirectUri()).hasValue(URI.create(TestClients.REDIRECT_URI));
        assertThat(stored.consumed()).isFalse();
        assertThat(stored.expiresAt()).isEqualTo(server.clock().instant().plus(Duration.ofSeconds(60)));
        assertThat(server.stores().codes().find(code)).isEmpty();
        assertThat(server.audit().events().toString()).doesNotContain(code);
    }

    @Test
    void whenUserConsentedBeforeThenTheSameRequestGetsACodeWithoutConsent() {
        endpoint.decide(request(client, "mcp:read mcp:write"), "alice", true);

        assertCodeRedirect(endpoint.authorize(request(client, "mcp:read mcp:write"), "alice"));
        assertCodeRedirect(endpoint.authorize(request(client, "mcp:read"), "alice"));
    }

    @Test
    void whenMoreScopesAreAskedThanConsentedThenConsentIsRequiredAgain() {
        endpoint.decide(request(client, "mcp:read"), "alice", true);

        assertThat(endpoint.authorize(request(client, "mcp:read mcp:admin"), "alice"))
                .isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
    }

    @Test
    void whenAnotherResourceIsAskedThanConsentedThenConsentIsRequiredAgain() {
        endpoint.decide(request(client, "mcp:read"), "alice", true);

        ValidatedAuthorization other = server.validated(AuthorizationParams.valid(client, pkce).set("scope", "mcp:read")
                .set("resource", TestServer.OTHER_RESOURCE.toString()));
        assertThat(endpoint.authorize(other, "alice")).isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
    }

    @Test
    void whenConsentsAccumulateThenTheUnionIsRemembered() {
        endpoint.decide(request(client, "mcp:read"), "alice", true);
        endpoint.decide(request(client, "mcp:admin"), "alice", true);

        assertCodeRedirect(endpoint.authorize(request(client, "mcp:read mcp:admin"), "alice"));
    }

    @Test
    void whenAnotherClientAsksThenConsentGivenToTheFirstDoesNotCount() {
        endpoint.decide(request(client, "mcp:read"), "alice", true);
        RegisteredClient newcomer = server.save(TestClients.publicClient().name("Test App"));

        assertThat(endpoint.authorize(request(newcomer, "mcp:read"), "alice"))
                .isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
    }

    @Test
    void whenAnotherUserIsLoggedInThenConsentOfTheFirstDoesNotCount() {
        endpoint.decide(request(client, "mcp:read"), "alice", true);

        assertThat(endpoint.authorize(request(client, "mcp:read"), "bob"))
                .isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
    }

    @Test
    void whenUserDeniesThenAccessDeniedRedirectWithStateAndIssAndNothingRemembered() {
        AuthorizationOutcome outcome = endpoint.decide(request(client, "mcp:read"), "alice", false);

        assertThat(outcome).isInstanceOf(AuthorizationOutcome.Redirect.class);
        AuthorizationOutcome.Redirect r = (AuthorizationOutcome.Redirect) outcome;
        assertThat(r.error()).isTrue();
        assertThat(Responses.queryParam(r.location(), "error")).isEqualTo("access_denied");
        assertThat(Responses.queryParam(r.location(), "state")).isEqualTo("state-123");
        assertThat(Responses.queryParam(r.location(), "iss")).isEqualTo(TestServer.ISSUER);
        assertThat(Responses.query(r.location())).doesNotContainKey("code");
        assertThat(server.stores().consents().find("alice", client.clientId())).isEmpty();
        assertThat(server.audit().events(AuditEvent.Type.CONSENT_DENIED)).hasSize(1);
        assertThat(endpoint.authorize(request(client, "mcp:read"), "alice"))
                .isInstanceOf(AuthorizationOutcome.ConsentRequired.class);
    }

    @Test
    void whenRequestHadNoStateThenRedirectsCarryNone() {
        ValidatedAuthorization v = server.validated(AuthorizationParams.valid(client, pkce).without("state"));

        AuthorizationOutcome.Redirect ok = (AuthorizationOutcome.Redirect) endpoint.decide(v, "alice", true);
        AuthorizationOutcome.Redirect denied = (AuthorizationOutcome.Redirect) endpoint.decide(v, "bob", false);

        assertThat(Responses.query(ok.location())).doesNotContainKey("state").containsKey("iss");
        assertThat(Responses.query(denied.location())).doesNotContainKey("state").containsKey("iss");
    }

    @Test
    void whenTwoCodesAreIssuedThenTheyAndTheirGrantIdsDiffer() {
        URI a = assertCodeRedirect(endpoint.decide(request(client, null), "alice", true));
        URI b = assertCodeRedirect(endpoint.authorize(request(client, null), "alice"));

        String codeA = Responses.queryParam(a, "code");
        String codeB = Responses.queryParam(b, "code");
        assertThat(codeA).isNotEqualTo(codeB);
        assertThat(server.stores().codes().find(Secrets.hash(codeA)).orElseThrow().grantId())
                .isNotEqualTo(server.stores().codes().find(Secrets.hash(codeB)).orElseThrow().grantId());
    }
}
