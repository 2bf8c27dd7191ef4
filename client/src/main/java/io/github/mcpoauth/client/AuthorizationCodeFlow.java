package io.github.mcpoauth.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.mcpoauth.client.internal.Http;
import io.github.mcpoauth.client.internal.ServerMetadata;

/**
 * The authorization code grant with PKCE S256 (<a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636</a>),
 * {@code resource} on both requests (<a href="https://www.rfc-editor.org/rfc/rfc8707#section-2">RFC 8707 §2</a>),
 * {@code state}, and the {@code iss} response parameter compared exactly
 * (<a href="https://www.rfc-editor.org/rfc/rfc9207#section-2.4">RFC 9207 §2.4</a>).
 */
final class AuthorizationCodeFlow {

    private final TokenRequests tokens;
    private final AuthorizationUrlHandler handler;
    private final Duration loginTimeout;
    private final SecureRandom random = new SecureRandom();

    AuthorizationCodeFlow(TokenRequests tokens, AuthorizationUrlHandler handler, Duration loginTimeout) {
        this.tokens = tokens;
        this.handler = handler;
        this.loginTimeout = loginTimeout;
    }

    StoredTokens run(ServerMetadata server, ClientCredentials client, Optional<URI> resource, Set<String> scopes,
            LoopbackReceiver receiver) {
        URI endpoint = server.authorizationEndpoint().orElseThrow(() -> new ClientAuthorizationException(
                "authorization server " + server.issuer() + " publishes no authorization_endpoint"));
        if (server.published() && !server.pkceMethods().map(m -> m.contains("S256")).orElse(false)) {
            throw new ClientAuthorizationException("authorization server " + server.issuer()
                    + " does not list S256 in code_challenge_methods_supported: refusing to authorize without PKCE");
        }
        String verifier = randomToken();
        String state = randomToken();
        URI redirect = receiver.redirectUri();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", redirect.toString());
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        query.put("state", state);
        if (!scopes.isEmpty()) {
            query.put("scope", String.join(" ", scopes));
        }
        resource.ifPresent(r -> query.put("resource", r.toString()));
        String sep = endpoint.getRawQuery() == null ? "?" : "&";
        URI url = URI.create(endpoint + sep + Http.formEncode(query));
        receiver.expectState(state);
        try {
            handler.open(url);
        } catch (Exception e) {
            throw new ClientAuthorizationException("the authorization URL handler failed: " + e.getMessage(), e);
        }
        Map<String, String> response = receiver.await(loginTimeout);
        checkResponse(server, state, response);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", response.get("code"));
        form.put("redirect_uri", redirect.toString());
        form.put("code_verifier", verifier);
        resource.ifPresent(r -> form.put("resource", r.toString()));
        return tokens.request(server, client, form, scopes, Optional.empty());
    }

    /** State first (is this our response at all?), then iss (is it from the server we asked?), then the outcome. */
    static void checkResponse(ServerMetadata server, String state, Map<String, String> response) {
        String returned = response.get("state");
        if (returned == null || !MessageDigest.isEqual(returned.getBytes(StandardCharsets.UTF_8),
                state.getBytes(StandardCharsets.UTF_8))) {
            throw new ClientAuthorizationException("authorization response state does not match the request");
        }
        String iss = response.get("iss");
        if (iss == null && server.issParameterSupported()) {
            throw new ClientAuthorizationException("authorization response lacks iss although "
                    + server.issuer() + " advertises authorization_response_iss_parameter_supported");
        }
        if (iss != null && !iss.equals(server.issuer())) {
            throw new ClientAuthorizationException("authorization response iss " + iss + " is not the issuer "
                    + server.issuer() + " (mix-up attack?)");
        }
        if (response.containsKey("error")) {
            String description = response.getOrDefault("error_description", "");
            throw new ClientAuthorizationException("authorization refused: " + response.get("error")
                    + (description.isEmpty() ? "" : ": " + description));
        }
        String code = response.get("code");
        if (code == null || code.isEmpty()) {
            throw new ClientAuthorizationException("authorization response has no code");
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
