package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.McpClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serial;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Same-app tokens over HTTP (Jetty): McpOAuth MACs the tokens of the resources it guards itself (HS256), its guard,
 * introspection and revocation take them, the JWK Set never shows a MAC key, and {@code sameAppTokens(false)} brings
 * back signed tokens.
 */
class SameAppTokensSecurityCasesTest {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    /** The MCP endpoint behind the guard. */
    static final class Ok extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
            resp.setContentType("application/json");
            resp.getWriter().print("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        }
    }

    private SecurityFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private HttpResponse<String> mcp(String token) throws Exception {
        return fx.send(fx.request("/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(PING)).build());
    }

    @Test
    void whenTheResourceIsGuardedHereThenItsTokenIsMacdAndGuardIntrospectionAndRevocationTakeIt() throws Exception {
        fx = SecurityFixture.start(s -> s.servlet("/mcp", base -> new Ok()), o -> { });
        McpClient client = fx.publicClient();
        String token = fx.grant(client, "alice").accessToken();

        assertThat(AccessTokenClaims.isCompact(token)).as("compact, MAC'd").isTrue();
        assertThat(mcp(token).statusCode()).isEqualTo(200);
        assertThat(fx.active(token)).isTrue();

        HttpResponse<String> revoked = client.authenticated(fx.uri("/oauth2/revoke"),
                SecurityFixture.form("token", token));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(mcp(token).statusCode()).isEqualTo(401);
        assertThat(fx.active(token)).isFalse();
    }

    @Test
    void whenTheJwkSetIsServedThenItHoldsPublicSigningKeysOnly() throws Exception {
        fx = SecurityFixture.start(s -> s.servlet("/mcp", base -> new Ok()), o -> { });
        fx.grant(fx.publicClient(), "alice");

        HttpResponse<String> jwks = fx.send(fx.request("/oauth2/jwks").GET().build());

        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"kty\":\"EC\"").doesNotContain("\"oct\"").doesNotContain("\"k\"")
                .doesNotContain("\"d\"").doesNotContain("HS256");
    }

    @Test
    void whenSameAppTokensAreOffThenTokensAreSignedAndTheGuardStillTakesThem() throws Exception {
        fx = SecurityFixture.start(s -> s.settings(b -> b.sameAppTokens(false)).servlet("/mcp", base -> new Ok()),
                o -> { });
        String token = fx.grant(fx.publicClient(), "alice").accessToken();

        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(mcp(token).statusCode()).isEqualTo(200);
        assertThat(fx.active(token)).isTrue();
    }
}
