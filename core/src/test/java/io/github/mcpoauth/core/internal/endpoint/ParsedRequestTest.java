package io.github.mcpoauth.core.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core parses a request once: the parsed request names the client the servlet edge rate-limits by, and handling the
 * parsed request answers exactly as handling the HTTP request does.
 */
class ParsedRequestTest {

    private TestServer server;
    private RegisteredClient confidential;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        confidential = server.save(TestClients.confidentialClient());
    }

    private Requests.Form refresh() {
        return Requests.form(server.tokenUri()).param("grant_type", "refresh_token").param("refresh_token", "nope");
    }

    @Test
    void parseWhenBasicAuthenticationThenTheBasicUserIsTheClient() {
        ParsedRequest<TokenRequest> parsed = server.server().token()
                .parse(refresh().basic("client-a", "secret").build());

        assertThat(parsed.clientId()).contains(new ClientID("client-a"));
        assertThat(parsed.value().getClientAuthentication()).isNotNull();
    }

    @Test
    void parseWhenSecretInFormThenTheFormClientId() {
        ParsedRequest<TokenRequest> parsed = server.server().token()
                .parse(refresh().secretPost("client-b", "secret").build());

        assertThat(parsed.clientId()).contains(new ClientID("client-b"));
    }

    @Test
    void parseWhenPublicClientThenItsClientIdParameter() {
        ParsedRequest<TokenRequest> parsed = server.server().token()
                .parse(refresh().param("client_id", "public-c").build());

        assertThat(parsed.clientId()).contains(new ClientID("public-c"));
        assertThat(parsed.value().getClientAuthentication()).isNull();
    }

    @Test
    void parseWhenNoClientNamedThenEmpty() {
        ParsedRequest<TokenRequest> parsed = server.server().token().parse(refresh().build());

        assertThat(parsed.clientId()).isEmpty();
    }

    @Test
    void parseWhenMalformedThenTheOAuthErrorAndHandleOfTheRawRequestAnswersIt() {
        HTTPRequest bad = refresh().basic("client-a", "secret").param("client_id", "client-z").build();

        assertThatThrownBy(() -> server.server().token().parse(bad)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getCode()).isEqualTo("invalid_request"));
        assertThat(server.server().token().handle(bad).getStatusCode()).isEqualTo(400);
    }

    @Test
    void handleWhenParsedThenTheSameAnswerAsTheRawRequest() {
        PkcePair pkce = PkcePair.random();
        String code = server.authorizeCode(confidential, pkce);
        HTTPRequest redemption = server.redemption(confidential, code, pkce.verifier()).build();

        ParsedRequest<TokenRequest> parsed = server.server().token().parse(redemption);
        HTTPResponse response = server.server().token().handle(parsed);

        assertThat(parsed.clientId()).contains(confidential.clientId());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void parseWhenRevocationOrIntrospectionThenTheAuthenticatingClient() {
        ParsedRequest<TokenRevocationRequest> revocation = server.server().revocation().parse(
                Requests.form(server.revocationUri()).param("token", "t").basic("client-r", "s").build());
        ParsedRequest<TokenIntrospectionRequest> introspection = server.server().introspection().parse(
                Requests.form(server.introspectionUri()).param("token", "t").secretPost("client-i", "s").build());

        assertThat(revocation.clientId()).contains(new ClientID("client-r"));
        assertThat(introspection.clientId()).contains(new ClientID("client-i"));
    }

    @Test
    void parseWhenIntrospectionWithoutClientAuthenticationThenInvalidClient() {
        HTTPRequest anonymous = Requests.form(server.introspectionUri()).param("token", "t").build();

        assertThatThrownBy(() -> server.server().introspection().parse(anonymous))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error().getHTTPStatusCode()).isEqualTo(401));
    }

    @Test
    void unparsedWhenAnyRequestThenNoClientAndTheHandlerAnswers() {
        HTTPRequest request = Requests.form(server.registrationUri()).build();
        JsonEndpoint<HTTPRequest> endpoint = JsonEndpoint.unparsed(r -> new HTTPResponse(201));

        ParsedRequest<HTTPRequest> parsed = endpoint.parse(request);

        assertThat(parsed.clientId()).isEqualTo(Optional.empty());
        assertThat(parsed.value()).isSameAs(request);
        assertThat(endpoint.handle(parsed).getStatusCode()).isEqualTo(201);
    }
}
