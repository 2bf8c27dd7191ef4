package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;

/**
 * DPoP (RFC 9449) against a server that checks every proof: signature by the embedded key, {@code typ},
 * {@code htm}, {@code htu}, {@code ath}, and its own nonces at the token endpoint (§8) and the MCP endpoint (§9).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DpopTest {

    private FakeServer server;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile String boundKey;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
        server.overrides.put("/token", this::token);
        server.overrides.put("/mcp", this::mcp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whenDpopIsOnThenTokenAndMcpRequestsCarryValidProofsWithTheServersNonces() throws Exception {
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(20)).dpop(true).build();

        assertThat(server.call(client)).isEqualTo(200);

        assertThat(problems).isEmpty();
        assertThat(client.authorizationHeader()).hasValueSatisfying(h -> assertThat(h).startsWith("DPoP "));
        // one token request refused for want of a nonce, then one accepted
        assertThat(server.tokenRequests).hasValue(2);
    }

    @Test
    void whenDpopIsOffThenADpopTokenTypeIsRefused() {
        McpOAuthClient client = McpOAuthClient.builder(server.mcp()).authorizationUrlHandler(FakeServer.browser())
                .requestTimeout(Duration.ofSeconds(20)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.call(client))
                .isInstanceOf(ClientAuthorizationException.class).hasMessageContaining("usable type");
    }

    private boolean token(HttpExchange ex) {
        server.tokenRequests.incrementAndGet();
        try {
            ex.getRequestBody().readAllBytes();
            String proof = ex.getRequestHeaders().getFirst("DPoP");
            if (proof == null) {
                // a bearer-only client: answer with a DPoP token it must not accept
                FakeServer.send(ex, 200, "{\"access_token\":\"x\",\"token_type\":\"DPoP\"}");
                return true;
            }
            JWTClaimsSet claims = verify(proof, "POST", server.base + "/token", null);
            if (!"as-nonce-1".equals(claims.getStringClaim("nonce"))) {
                ex.getResponseHeaders().set("DPoP-Nonce", "as-nonce-1");
                FakeServer.send(ex, 400, "{\"error\":\"use_dpop_nonce\"}");
                return true;
            }
            boundKey = ECKey.parse(SignedJWT.parse(proof).getHeader().getJWK().toJSONObject())
                    .computeThumbprint().toString();
            server.issued.put("dpop-at", java.util.Set.of("mcp"));
            FakeServer.send(ex, 200, "{\"access_token\":\"dpop-at\",\"token_type\":\"DPoP\",\"expires_in\":600}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            problems.add("token endpoint: " + e.getMessage());
            sendQuietly(ex, 400, "{\"error\":\"invalid_dpop_proof\"}");
        }
        return true;
    }

    private boolean mcp(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            return false; // the fake's own 401 with resource_metadata
        }
        try {
            if (!auth.startsWith("DPoP ")) {
                problems.add("MCP request with " + auth.split(" ")[0] + " instead of DPoP");
                FakeServer.send(ex, 401, "{}");
                return true;
            }
            String proof = ex.getRequestHeaders().getFirst("DPoP");
            JWTClaimsSet claims = verify(proof, "POST", server.base + "/mcp", auth.substring(5));
            String key = ECKey.parse(SignedJWT.parse(proof).getHeader().getJWK().toJSONObject())
                    .computeThumbprint().toString();
            if (!key.equals(boundKey)) {
                problems.add("MCP proof signed with another key than the token was bound to");
            }
            if (!"rs-nonce-1".equals(claims.getStringClaim("nonce"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"");
                ex.getResponseHeaders().set("DPoP-Nonce", "rs-nonce-1");
                FakeServer.send(ex, 401, "{}");
                return true;
            }
            FakeServer.send(ex, 200, "{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            problems.add("MCP endpoint: " + e);
            sendQuietly(ex, 400, "{}");
        }
        return true;
    }

    private static JWTClaimsSet verify(String proof, String htm, String htu, String accessToken) throws Exception {
        SignedJWT jwt = SignedJWT.parse(proof);
        if (!"dpop+jwt".equals(jwt.getHeader().getType().toString())) {
            throw new IllegalStateException("typ " + jwt.getHeader().getType());
        }
        if (!jwt.verify(new ECDSAVerifier(jwt.getHeader().getJWK().toECKey()))) {
            throw new IllegalStateException("bad signature");
        }
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        if (!htm.equals(c.getStringClaim("htm")) || !htu.equals(c.getStringClaim("htu")) || c.getJWTID() == null
                || c.getIssueTime() == null) {
            throw new IllegalStateException("claims " + c.toJSONObject());
        }
        if (accessToken != null) {
            String ath = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
            if (!ath.equals(c.getStringClaim("ath"))) {
                throw new IllegalStateException("ath");
            }
        }
        if (jwt.getHeader().getJWK().isPrivate()) {
            throw new IllegalStateException("the proof leaks the private key");
        }
        return c;
    }

    private static void sendQuietly(HttpExchange ex, int status, String body) {
        try {
            FakeServer.send(ex, status, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
