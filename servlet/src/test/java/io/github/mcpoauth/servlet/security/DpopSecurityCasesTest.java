package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPUtils;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.github.mcpoauth.core.internal.keys.MacKeys;
import io.github.mcpoauth.core.internal.resource.CompactTokens;
import io.github.mcpoauth.core.resource.RevocationCheck.GrantClaims;
import io.github.mcpoauth.core.settings.DpopSettings;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.testing.AccessTokenClaims;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serial;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) at the token endpoint and at the guard, and the guard's Host/Origin check, over real HTTP:
 * docs/security.md cases 36 to 44.
 */
class DpopSecurityCasesTest {

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
    private final ECKey key = ec();

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private void start(Consumer<DpopSettings.Builder> dpop) throws Exception {
        DpopSettings.Builder b = DpopSettings.builder();
        dpop.accept(b);
        DpopSettings settings = b.build();
        fx = SecurityFixture.start(s -> s.settings(x -> x.dpop(settings)).servlet("/mcp", base -> new Ok()),
                o -> { });
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof builder: each test changes one thing. */
    private final class Proof {
        JWK signer = key;
        JWSAlgorithm alg = JWSAlgorithm.ES256;
        String typ = "dpop+jwt";
        String htm = "POST";
        String htu;
        Instant iat = fx.clock.instant();
        String jti = UUID.randomUUID().toString();
        String accessToken;
        String ath;
        String nonce;

        Proof(String path) {
            this.htu = fx.uri(path).toString();
        }

        String sign() throws Exception {
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(jti).claim("htm", htm).claim("htu", htu)
                    .issueTime(Date.from(iat));
            if (accessToken != null) {
                c.claim("ath", ath != null ? ath
                        : DPoPUtils.computeSHA256(new DPoPAccessToken(accessToken)).toString());
            }
            if (nonce != null) {
                c.claim("nonce", nonce);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(new JOSEObjectType(typ))
                    .jwk(signer.toPublicJWK()).build(), c.build());
            jwt.sign(signer instanceof ECKey e ? new ECDSASigner(e) : new RSASSASigner((RSAKey) signer));
            return jwt.serialize();
        }
    }

    /** A code grant for alice, redeemed with {@code proof} (or none). */
    private HttpResponse<String> redeem(McpClient client, String proof) throws Exception {
        McpClient.Pkce pkce = McpClient.pkce();
        String code = fx.code(client, pkce, "alice");
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("grant_type", List.of("authorization_code"));
        form.put("code", List.of(code));
        form.put("redirect_uri", List.of(client.redirectUri()));
        form.put("code_verifier", List.of(pkce.verifier()));
        form.put("client_id", List.of(client.clientId()));
        List<String> headers = new ArrayList<>();
        if (proof != null) {
            headers.add("DPoP");
            headers.add(proof);
        }
        return new Browser().post(fx.uri("/oauth2/token"), form, headers.toArray(String[]::new));
    }

    private String boundToken() throws Exception {
        HttpResponse<String> r = redeem(fx.publicClient(), new Proof("/oauth2/token").sign());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return McpClient.json(r).get("access_token").asText();
    }

    private HttpResponse<String> mcp(String authorization, String... headers) throws Exception {
        HttpRequest.Builder b = fx.request("/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(PING));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return fx.send(b.build());
    }

    private HttpResponse<String> mcpWithProof(String token, Proof proof) throws Exception {
        proof.accessToken = token;
        return mcp("DPoP " + token, "DPoP", proof.sign());
    }

    private static void assertDpopRefusal(HttpResponse<String> r, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate").get(0)).startsWith("DPoP ")
                .contains("error=\"" + error + "\"").contains("algs=\"").contains("resource_metadata=\"");
    }

    @Test
    void whenTokenRequestCarriesProofThenAccessTokenIsBoundAndTypedDpop() throws Exception {
        start(d -> { });
        HttpResponse<String> r = redeem(fx.publicClient(), new Proof("/oauth2/token").sign());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = McpClient.json(r);
        assertThat(json.get("token_type").asText()).isEqualTo("DPoP");
        JWTClaimsSet claims = AccessTokenClaims.of(fx.server.oauth(), json.get("access_token").asText());
        assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", key.computeThumbprint().toString());

        HttpResponse<String> ok = mcpWithProof(json.get("access_token").asText(), new Proof("/mcp"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void whenTokenRequestHasNoProofThenBearerTokenAsBefore() throws Exception {
        start(d -> { });
        HttpResponse<String> r = redeem(fx.publicClient(), null);
        assertThat(McpClient.json(r).get("token_type").asText()).isEqualTo("Bearer");
        assertThat(mcp("Bearer " + McpClient.json(r).get("access_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void whenTokenRequestProofIsBadThenInvalidDpopProofAndCodeStillRedeemable() throws Exception {
        start(d -> { });
        Proof wrongHtm = new Proof("/oauth2/token");
        wrongHtm.htm = "GET";
        Proof wrongHtu = new Proof("/oauth2/other");
        Proof old = new Proof("/oauth2/token");
        old.iat = fx.clock.instant().minus(Duration.ofMinutes(5));
        Proof wrongTyp = new Proof("/oauth2/token");
        wrongTyp.typ = "JWT";
        for (Proof p : List.of(wrongHtm, wrongHtu, old, wrongTyp)) {
            HttpResponse<String> r = redeem(fx.publicClient(), p.sign());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(McpClient.json(r).get("error").asText()).isEqualTo("invalid_dpop_proof");
        }
        Proof once = new Proof("/oauth2/token");
        String proof = once.sign();
        assertThat(redeem(fx.publicClient(), proof).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = redeem(fx.publicClient(), proof);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(replay).get("error").asText()).isEqualTo("invalid_dpop_proof");
    }

    @Test
    void whenProofAlgorithmIsNotAllowedThenRefused() throws Exception {
        start(d -> d.algorithms("ES256"));
        Proof rsa = new Proof("/oauth2/token");
        rsa.signer = new RSAKeyGenerator(2048).generate();
        rsa.alg = JWSAlgorithm.RS256;
        HttpResponse<String> r = redeem(fx.publicClient(), rsa.sign());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(r).get("error").asText()).isEqualTo("invalid_dpop_proof");
        // a symmetric alg (HS256, keyed with the public key's bytes) is never allowed
        Proof hmac = new Proof("/oauth2/token");
        JWTClaimsSet c = new JWTClaimsSet.Builder().jwtID(hmac.jti).claim("htm", "POST").claim("htu", hmac.htu)
                .issueTime(Date.from(hmac.iat)).build();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), c);
        hs.sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> symmetric = redeem(fx.publicClient(), hs.serialize());
        assertThat(symmetric.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(symmetric).get("error").asText()).isEqualTo("invalid_dpop_proof");
    }

    @Test
    void whenBoundTokenPresentedAsBearerThenRefusedWithDpopChallenge() throws Exception {
        start(d -> { });
        String token = boundToken();
        HttpResponse<String> r = mcp("Bearer " + token);
        assertDpopRefusal(r, "invalid_token");
        assertThat(r.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Bearer "));
    }

    @Test
    void whenBoundTokenPresentedAsBearerToGuardWithoutDpopThenStillRefused() throws Exception {
        fx = SecurityFixture.start(s -> s.servlet("/mcp", base -> new Ok()), o -> { });
        String bound = boundTokenFromPlainServerWithCnf(fx);
        HttpResponse<String> r = mcp("Bearer " + bound);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate").get(0)).startsWith("DPoP ")
                .contains("error=\"invalid_token\"");
    }

    /** A token with {@code cnf.jkt} MAC'd by {@code server}'s own key (as its token endpoint would with DPoP). */
    private static String boundTokenFromPlainServerWithCnf(SecurityFixture server) throws Exception {
        SecurityFixture.Tokens t = server.grant(server.publicClient(), "alice");
        McpOAuth oauth = server.server.oauth();
        JWTClaimsSet withCnf = new JWTClaimsSet.Builder(AccessTokenClaims.of(oauth, t.accessToken()))
                .claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")).build();
        MacKeys.MacKey key = oauth.server().accessTokens().macKeys().current();
        GrantClaims grant = oauth.server().revocationCheck().grantClaims(withCnf.getStringClaim("gid")).orElseThrow();
        return CompactTokens.encode(withCnf, grant, oauth.server().settings().issuer(), key.tag(), key.hmac())
                .orElseThrow(); // same-app: a compact reference token
    }

    @Test
    void whenResourceProofIsWrongThenInvalidDpopProof() throws Exception {
        start(d -> { });
        String token = boundToken();
        Proof wrongHtu = new Proof("/other");
        Proof wrongHtm = new Proof("/mcp");
        wrongHtm.htm = "GET";
        Proof wrongAth = new Proof("/mcp");
        wrongAth.ath = "x".repeat(43);
        Proof expired = new Proof("/mcp");
        expired.iat = fx.clock.instant().minus(Duration.ofMinutes(2));
        Proof otherKey = new Proof("/mcp");
        otherKey.signer = ec();
        for (Proof p : List.of(wrongHtu, wrongHtm, wrongAth, expired, otherKey)) {
            assertDpopRefusal(mcpWithProof(token, p), "invalid_dpop_proof");
        }
        assertDpopRefusal(mcp("DPoP " + token), "invalid_dpop_proof");

        Proof good = new Proof("/mcp");
        good.accessToken = token;
        String proof = good.sign();
        assertThat(mcp("DPoP " + token, "DPoP", proof).statusCode()).isEqualTo(200);
        assertDpopRefusal(mcp("DPoP " + token, "DPoP", proof), "invalid_dpop_proof"); // replayed
    }

    @Test
    void whenUnboundTokenPresentedAsDpopThenInvalidToken() throws Exception {
        start(d -> { });
        String bearer = McpClient.json(redeem(fx.publicClient(), null)).get("access_token").asText();
        assertDpopRefusal(mcpWithProof(bearer, new Proof("/mcp")), "invalid_token");
    }

    @Test
    void whenNoncesAreOnThenProofWithoutFreshNonceGetsUseDpopNonce() throws Exception {
        start(d -> d.nonces(true).nonceLifetime(Duration.ofMinutes(1)));
        HttpResponse<String> first = redeem(fx.publicClient(), new Proof("/oauth2/token").sign());
        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(first).get("error").asText()).isEqualTo("use_dpop_nonce");
        String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();

        Proof withNonce = new Proof("/oauth2/token");
        withNonce.nonce = nonce;
        HttpResponse<String> r = redeem(fx.publicClient(), withNonce.sign());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String token = McpClient.json(r).get("access_token").asText();

        HttpResponse<String> noNonce = mcpWithProof(token, new Proof("/mcp"));
        assertDpopRefusal(noNonce, "use_dpop_nonce");
        String rsNonce = noNonce.headers().firstValue("DPoP-Nonce").orElseThrow();
        Proof good = new Proof("/mcp");
        good.nonce = rsNonce;
        assertThat(mcpWithProof(token, good).statusCode()).isEqualTo(200);

        fx.clock.advance(Duration.ofSeconds(61)); // the nonce is stale now, the proof's iat is fresh
        Proof stale = new Proof("/mcp");
        stale.nonce = rsNonce;
        assertDpopRefusal(mcpWithProof(token, stale), "use_dpop_nonce");
    }

    @Test
    void whenDpopIsOnThenMetadataListsAlgorithmsAndChallengeOffersDpop() throws Exception {
        start(d -> d.algorithms("ES256", "PS256"));
        JsonNode as = McpClient.json(fx.send(fx.request("/.well-known/oauth-authorization-server").build()));
        assertThat(as.get("dpop_signing_alg_values_supported").toString()).contains("ES256", "PS256");
        JsonNode prm = McpClient.json(fx.send(fx.request("/.well-known/oauth-protected-resource/mcp").build()));
        assertThat(prm.get("dpop_signing_alg_values_supported").toString()).contains("ES256", "PS256");
        assertThat(prm.get("dpop_bound_access_tokens_required").asBoolean()).isFalse();
        HttpResponse<String> none = mcp(null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Bearer "))
                .anyMatch(h -> h.startsWith("DPoP algs="));
    }

    @Test
    void whenDpopIsRequiredThenBearerTokensAreRefused() throws Exception {
        start(d -> d.required(true));
        HttpResponse<String> r = redeem(fx.publicClient(), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(McpClient.json(r).get("error").asText()).isEqualTo("invalid_dpop_proof");
    }

    private RawHttp.Response raw(String host, String origin) throws Exception {
        URI base = fx.uri("/");
        String head = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin
                + "\r\n") + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + PING.length() + "\r\n\r\n" + PING;
        return RawHttp.exchange(base, head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void whenHostOrOriginIsForeignThenForbiddenBeforeAnyTokenCheck() throws Exception {
        start(d -> { });
        String host = fx.uri("/").getAuthority();
        assertThat(raw("evil.example.com", null).status()).isEqualTo(403);
        assertThat(raw("evil.example.com:" + fx.uri("/").getPort(), "http://evil.example.com").status())
                .isEqualTo(403);
        assertThat(raw(host, "http://evil.example.com").status()).isEqualTo(403);
        assertThat(raw(host, "null").status()).isEqualTo(403);
        // allowed: this server's own host and origin, and the loopback names of the same port
        assertThat(raw(host, "http://" + host).status()).isEqualTo(401);
        assertThat(raw("localhost:" + fx.uri("/").getPort(), "http://localhost:" + fx.uri("/").getPort()).status())
                .isEqualTo(401);
        assertThat(raw(host, null).status()).isEqualTo(401);
    }

    @Test
    void whenPreflightAsksForMcpHeadersThenAllowedAndDpopNonceExposed() throws Exception {
        start(d -> { });
        HttpResponse<String> r = fx.send(fx.request("/mcp").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:6274").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, dpop, mcp-method, mcp-name, "
                        + "mcp-param-city, x-evil")
                .build());
        assertThat(r.statusCode()).isEqualTo(204);
        String allowed = r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        assertThat(allowed).contains("DPoP", "Mcp-Method", "Mcp-Name", "mcp-param-city").doesNotContain("x-evil");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("WWW-Authenticate", "DPoP-Nonce");
    }
}
