package io.github.mcpoauth.core.internal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.fixtures.Responses;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.fixtures.TestServer.TokenSet;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SECURITY.md case 18: refresh with rotation and reuse detection. */
class RefreshTokenGrantTest {

    private TestServer server;
    private RegisteredClient client;
    private TokenSet tokens;

    @BeforeEach
    void setUp() {
        server = TestServer.create();
        client = server.save(TestClients.publicClient());
        tokens = server.tokens(client);
    }

    private static void assertError(HTTPResponse r, int status, String error) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(Responses.error(r)).isEqualTo(error);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    private HTTPResponse refresh(String refreshToken) {
        return server.token(server.refresh(client, refreshToken));
    }

    private boolean isActive(String token) {
        RegisteredClient rs = server.save(TestClients.confidentialClient());
        HTTPResponse r = server.introspect(TestServer.authenticated(server.introspectionUri(), rs)
                .param("token", token));
        return Boolean.TRUE.equals(Responses.json(r).get("active"));
    }

    @Test
    void whenRefreshTokenIsUsedThenItRotatesAndTheNewPairWorks() throws Exception {
        HTTPResponse r = refresh(tokens.refreshToken());

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        TokenSet next = TokenSet.of(r);
        String gid = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getStringClaim("gid");
        // <grant id>.<256 random bits>: the token names its grant
        assertThat(next.refreshToken()).isNotEqualTo(tokens.refreshToken())
                .matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}").startsWith(gid + ".");
        assertThat(tokens.refreshToken()).startsWith(gid + ".");
        assertThat(SignedJWT.parse(next.accessToken()).getJWTClaimsSet().getStringClaim("gid")).isEqualTo(gid);
        assertThat(refresh(next.refreshToken()).getStatusCode()).isEqualTo(200);
        assertThat(server.audit().events(AuditEvent.Type.TOKEN_REFRESHED)).hasSize(2);
    }

    @Test
    void whenRotatedOutTokenIsReusedThenInvalidGrantAndTheWholeGrantIsRevoked() {
        TokenSet next = TokenSet.of(refresh(tokens.refreshToken()));
        assertThat(isActive(next.accessToken())).isTrue();

        assertError(refresh(tokens.refreshToken()), 400, "invalid_grant");

        assertError(refresh(next.refreshToken()), 400, "invalid_grant");
        assertThat(isActive(next.accessToken())).isFalse();
        assertThat(isActive(tokens.accessToken())).isFalse();
        assertThat(server.audit().events(AuditEvent.Type.REFRESH_TOKEN_REUSED)).hasSize(1);
    }

    @Test
    void whenRefreshTokenOfAnotherClientIsUsedThenInvalidGrantAndTheOwnerKeepsIt() {
        RegisteredClient thief = server.save(TestClients.publicClient());

        assertError(server.token(server.refresh(thief, tokens.refreshToken())), 400, "invalid_grant");
        assertThat(refresh(tokens.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenWiderScopeIsAskedThenInvalidScope() {
        assertError(server.token(server.refresh(client, tokens.refreshToken()).param("scope", "mcp:read mcp:admin")),
                400, "invalid_scope");
        assertError(server.token(server.refresh(client, tokens.refreshToken()).param("scope", "unknown")), 400,
                "invalid_scope");
        assertThat(refresh(tokens.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenNarrowerScopeIsAskedThenTheAccessTokenIsNarrowedButTheGrantIsNot() throws Exception {
        HTTPResponse r = server.token(server.refresh(client, tokens.refreshToken()).param("scope", "mcp:read"));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        TokenSet narrow = TokenSet.of(r);
        assertThat(SignedJWT.parse(narrow.accessToken()).getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("mcp:read");
        assertThat(narrow.json()).containsEntry("scope", "mcp:read");
        TokenSet again = TokenSet.of(refresh(narrow.refreshToken()));
        assertThat(SignedJWT.parse(again.accessToken()).getJWTClaimsSet().getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrderElementsOf(TestServer.DEFAULT_SCOPES);
    }

    @Test
    void whenResourceWasNotGrantedThenInvalidTarget() {
        assertError(server.token(server.refresh(client, tokens.refreshToken())
                .param("resource", TestServer.OTHER_RESOURCE.toString())), 400, "invalid_target");
        assertThat(refresh(tokens.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenManyThreadsRefreshWithOneTokenThenExactlyOneWins() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HTTPResponse>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return refresh(tokens.refreshToken());
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<HTTPResponse> f : results) {
                HTTPResponse r = f.get();
                if (r.getStatusCode() == 200) {
                    ok++;
                } else {
                    assertError(r, 400, "invalid_grant");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenRefreshTokenIsUnknownOrTheHashIsSentThenInvalidGrant() {
        assertError(refresh(Secrets.create().newSecret()), 400, "invalid_grant");
        assertError(refresh(Secrets.hash(tokens.refreshToken())), 400, "invalid_grant");
        assertError(refresh(tokens.accessToken()), 400, "invalid_grant");
        assertThat(refresh(tokens.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenRefreshTokenIsExpiredThenInvalidGrant() {
        server.clock().advance(Duration.ofDays(30));

        assertError(refresh(tokens.refreshToken()), 400, "invalid_grant");
    }

    @Test
    void whenRotatedThenTheNewTokenLivesAFullLifetimeAgain() {
        server.clock().advance(Duration.ofDays(29));
        TokenSet next = TokenSet.of(refresh(tokens.refreshToken()));
        server.clock().advance(Duration.ofDays(29));

        assertThat(refresh(next.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenGrantWasRevokedThenInvalidGrant() {
        String gid = server.stores().grants().findByRefreshToken(RefreshTokens.grantIdOf(tokens.refreshToken()),
                Secrets.hash(tokens.refreshToken())).orElseThrow().grantId();
        server.stores().grants().revoke(gid);

        assertError(refresh(tokens.refreshToken()), 400, "invalid_grant");
    }

    @Test
    void whenClientMayNotRefreshThenUnauthorizedClient() {
        RegisteredClient noRefresh = server.save(TestClients.publicClient().grantTypes(GrantType.AUTHORIZATION_CODE));

        assertError(server.token(server.refresh(noRefresh, tokens.refreshToken())), 400, "unauthorized_client");
    }

    @Test
    void whenConfidentialClientRefreshesWithAWrongSecretThen401AndTheTokenStillWorks() {
        client = server.save(TestClients.confidentialClient());
        tokens = server.tokens(client);

        HTTPResponse r = server.token(server.refresh(client, tokens.refreshToken())
                .basic(client.clientId().getValue(), "nope"));

        assertError(r, 401, "invalid_client");
        assertThat(r.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        assertThat(r.getBody()).doesNotContain(tokens.refreshToken());
        assertThat(refresh(tokens.refreshToken()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenRefreshTokenIsMissingThenInvalidRequest() {
        assertError(server.token(server.refresh(client, "x").without("refresh_token")), 400, "invalid_request");
    }
}
