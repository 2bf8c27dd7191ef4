package io.github.mcpoauth.servlet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays an MCP client against a {@link TestServer}, as Claude Code or the MCP Inspector would: registers, runs
 * the browser part through {@link Browser}, and calls the token endpoint. Each step returns the raw response so
 * tests can assert on status, headers and body.
 */
public final class McpClient {

    /** The JSON mapper tests share. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;
    private final Browser browser;
    private String clientId;
    private String clientSecret;
    private String redirectUri = "http://127.0.0.1:9/callback";

    /** A client for {@code server} whose user drives {@code browser}. */
    public McpClient(TestServer server, Browser browser) {
        this.server = server;
        this.browser = browser;
    }

    /** The registered client id. */
    public String clientId() {
        return clientId;
    }

    /** The registered client secret, if confidential. */
    public String clientSecret() {
        return clientSecret;
    }

    /** The redirect URI the client registers and uses. */
    public String redirectUri() {
        return redirectUri;
    }

    /** Uses another redirect URI (before registering). */
    public McpClient redirectUri(String uri) {
        this.redirectUri = uri;
        return this;
    }

    /** Registers as a public client ({@code none}); returns the registration response. */
    public HttpResponse<String> registerPublic() throws IOException, InterruptedException {
        return register("none");
    }

    /** Registers with {@code authMethod}; remembers the client id and secret. */
    public HttpResponse<String> register(String authMethod) throws IOException, InterruptedException {
        return register(registrationBody(authMethod));
    }

    /**
     * The registration request {@link #register(String)} sends, for a test to tweak before
     * {@link #register(ObjectNode)}.
     */
    public ObjectNode registrationBody(String authMethod) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("redirect_uris").add(redirectUri);
        body.put("token_endpoint_auth_method", authMethod);
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("client_name", "Test MCP Client");
        return body;
    }

    /** Registers with the metadata {@code body}; on 201 remembers the client id and secret. */
    public HttpResponse<String> register(ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = postJson(server.uri("/oauth2/register"), body.toString());
        if (r.statusCode() == 201) {
            JsonNode n = JSON.readTree(r.body());
            clientId = n.get("client_id").asText();
            clientSecret = n.hasNonNull("client_secret") ? n.get("client_secret").asText() : null;
        }
        return r;
    }

    /** POSTs a JSON body. */
    public HttpResponse<String> postJson(URI uri, String json) throws IOException, InterruptedException {
        return browser.http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh PKCE pair. */
    public static Pkce pkce() {
        CodeVerifier v = new CodeVerifier();
        return new Pkce(v.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue());
    }

    /** A PKCE verifier and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {
    }

    /** The authorization request URI with the usual parameters, plus {@code extra} (name, value, …). */
    public URI authorizeUri(Pkce pkce, String state, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        p.put("state", state);
        p.put("scope", "mcp");
        p.put("resource", server.baseUri() + "/mcp");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                p.remove(extra[i]);
            } else {
                p.put(extra[i], extra[i + 1]);
            }
        }
        StringBuilder q = new StringBuilder();
        p.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return server.uri("/oauth2/authorize?" + q);
    }

    /**
     * Runs the browser part for {@code user}: authorization request, login if asked, consent approval if asked.
     *
     * @return the final redirect to the client's redirect URI
     */
    public URI authorize(Pkce pkce, String state, String user) throws IOException, InterruptedException {
        HttpResponse<String> r = browser.get(authorizeUri(pkce, state));
        if (r.statusCode() == 302 && Browser.location(r).getPath().equals("/login")) {
            String ret = Browser.query(Browser.location(r)).get("return");
            r = browser.post(server.uri("/login"), Map.of("username", List.of(user),
                    "password", List.of(TestServer.USERS.get(user)), "return", List.of(ret)));
            r = browser.get(Browser.location(r));
        }
        if (r.statusCode() == 200) {
            r = approve(r.body(), "approve");
        }
        if (r.statusCode() != 302 && r.statusCode() != 303) {
            throw new AssertionError("expected a redirect to the client, got " + r.statusCode() + ": " + r.body());
        }
        return Browser.location(r);
    }

    /** Submits the consent form in {@code html} with {@code decision}. */
    public HttpResponse<String> approve(String html, String decision) throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>(Browser.hiddenFields(html));
        form.put("decision", List.of(decision));
        return browser.post(server.uri(Browser.formAction(html)), form, "Origin", server.baseUri().toString());
    }

    /** Redeems {@code code}. */
    public HttpResponse<String> redeem(String code, String verifier) throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("grant_type", List.of("authorization_code"));
        form.put("code", List.of(code));
        form.put("redirect_uri", List.of(redirectUri));
        form.put("code_verifier", List.of(verifier));
        return token(form);
    }

    /** Refreshes with {@code refreshToken}. */
    public HttpResponse<String> refresh(String refreshToken) throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("grant_type", List.of("refresh_token"));
        form.put("refresh_token", List.of(refreshToken));
        return token(form);
    }

    /** POSTs {@code form} to the token endpoint with this client's authentication. */
    public HttpResponse<String> token(Map<String, List<String>> form) throws IOException, InterruptedException {
        return authenticated(server.uri("/oauth2/token"), form);
    }

    /** POSTs {@code form} to {@code uri}, authenticating as this client (Basic, or client_id for public). */
    public HttpResponse<String> authenticated(URI uri, Map<String, List<String>> form)
            throws IOException, InterruptedException {
        Map<String, List<String>> f = new LinkedHashMap<>(form);
        if (clientSecret == null) {
            f.put("client_id", List.of(clientId));
            return browser.post(uri, f);
        }
        String basic = java.util.Base64.getEncoder().encodeToString((URLEncoder.encode(clientId,
                StandardCharsets.UTF_8) + ":" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        return browser.post(uri, f, "Authorization", "Basic " + basic);
    }

    /** Parses a JSON body. */
    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
