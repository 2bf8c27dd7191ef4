package io.github.mcpoauth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The resource server on its own, over real HTTP: an external issuer (a JDK HTTP server publishing a JWK Set, the
 * way Keycloak's {@code /protocol/openid-connect/certs} does) signs real ES256 JWTs, and a Jetty webapp guarded by
 * {@link McpResourceServer} accepts them, challenges everything else and serves its RFC 9728 metadata, with no
 * authorization-server endpoint mounted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpResourceServerJettyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private HttpServer issuerServer;
    private ECKey issuerKey;
    private String issuer;
    private Server jetty;
    private String base;
    private McpResourceServer rs;

    @BeforeAll
    void start() throws Exception {
        issuerKey = new ECKeyGenerator(Curve.P_256).keyID("issuer-key-1").generate();
        byte[] jwks = new JWKSet(issuerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuerServer.createContext("/realms/mcp/protocol/openid-connect/certs", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        issuerServer.start();
        String issuerBase = "http://127.0.0.1:" + issuerServer.getAddress().getPort();
        issuer = issuerBase + "/realms/mcp";

        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        connector.open();
        base = "http://127.0.0.1:" + connector.getLocalPort();

        rs = McpResourceServer.builder()
                .resource(ProtectedResourceSettings.builder()
                        .resource(base + "/mcp")
                        .authorizationServer(issuer)
                        .scopesSupported(List.of("mcp", "admin"))
                        .requiredScopes(List.of("mcp"))
                        .build())
                .jwks(URI.create(issuerBase + "/realms/mcp/protocol/openid-connect/certs"))
                .scopeRules(McpScopeRules.builder().tool("delete_everything", "admin").build())
                .build();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServletContainerInitializer(rs.initializer());
        context.addServlet(new ServletHolder(new WhoAmI()), "/mcp");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    void stop() throws Exception {
        jetty.stop();
        issuerServer.stop(0);
    }

    @Test
    void whenNoTokenThenChallengeNamesTheMetadataAndNoErrorCode() throws Exception {
        HttpResponse<String> r = post(null, "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer scope=\"mcp\", resource_metadata=\""
                + base + "/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void whenTokenSignedByExternalIssuerThenCallerReachesTheServlet() throws Exception {
        HttpResponse<String> r = post(sign(issuerKey, claims("mcp", base + "/mcp").build()), "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("alice via client-1 [mcp] token-hidden=true");
        assertThat(jwksFetches.get()).isPositive();
    }

    @Test
    void whenTokenSignedByAnotherKeyWithTheSameKidThenInvalidToken() throws Exception {
        ECKey forger = new ECKeyGenerator(Curve.P_256).keyID("issuer-key-1").generate();

        HttpResponse<String> r = post(sign(forger, claims("mcp", base + "/mcp").build()), "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    @Test
    void whenTokenForAnotherAudienceOrIssuerThenInvalidToken() throws Exception {
        String otherAudience = sign(issuerKey, claims("mcp", "https://other.example/mcp").build());
        String otherIssuer = sign(issuerKey, claims("mcp", base + "/mcp").issuer("https://evil.example").build());

        assertThat(post(otherAudience, "{}").statusCode()).isEqualTo(401);
        assertThat(post(otherIssuer, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void whenToolNeedsAScopeTheTokenLacksThenInsufficientScopeNamesEveryNeededScope() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"delete_everything\",\"arguments\":{}}}";

        HttpResponse<String> r = post(sign(issuerKey, claims("mcp", base + "/mcp").build()), call);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"mcp admin\"");
    }

    @Test
    void whenMetadataRequestedThenRfc9728DocumentNamesTheExternalIssuer() throws Exception {
        HttpResponse<String> r = get("/.well-known/oauth-protected-resource/mcp");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("resource").asText()).isEqualTo(base + "/mcp");
        assertThat(doc.get("authorization_servers").get(0).asText()).isEqualTo(issuer);
        assertThat(doc.get("scopes_supported").toString()).isEqualTo("[\"mcp\",\"admin\"]");
    }

    @Test
    void whenAuthorizationServerPathsRequestedThenNothingIsMounted() throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
                "/oauth2/authorize", "/oauth2/token", "/oauth2/register", "/oauth2/jwks", "/authorize", "/token",
                "/register")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(rs.mounts("")).extracting(McpOAuth.Mount::name).singleElement().asString()
                .endsWith("-resource-metadata");
    }

    @Test
    void whenBuiltWithoutJwksOrVerifierThenFailsNamingTheField() {
        assertThatThrownBy(() -> McpResourceServer.builder().resource(ProtectedResourceSettings.builder()
                .resource("https://mcp.example.com/mcp").authorizationServer("https://sso.example.com").build())
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("jwks or verifier");
        assertThatThrownBy(() -> McpResourceServer.builder().jwks(URI.create("https://sso.example.com/certs"))
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("resource");
    }

    private JWTClaimsSet.Builder claims(String scope, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("alice")
                .audience(audience)
                .claim("client_id", "client-1")
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(ECKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private HttpResponse<String> post(String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/mcp")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stands in for the MCP servlet: says who called, and whether the token was kept from it. */
    private static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            AccessTokenPrincipal caller = (AccessTokenPrincipal) request.getUserPrincipal();
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(caller.subject() + " via " + caller.clientId() + " " + caller.scopes()
                    + " token-hidden=" + (request.getHeader("Authorization") == null));
        }
    }
}
