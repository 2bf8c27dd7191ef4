package io.github.mcpoauth.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mcpoauth.client.internal.Http;

/**
 * Enterprise-managed authorization (MCP's cross-app access extension, the Identity Assertion JWT Authorization
 * Grant draft): the user's ID token is exchanged at the enterprise identity provider
 * (<a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 token exchange</a>) for an ID-JAG whose
 * audience is the MCP server's authorization server; {@link McpOAuthClient.Builder#jwtBearerGrant} then presents
 * it in the JWT bearer grant.
 */
public final class EnterpriseAuthorization {

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    private static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

    private EnterpriseAuthorization() {
    }

    /**
     * @param idpTokenEndpoint the identity provider's token endpoint
     * @param idpClient the client's credentials at the identity provider
     * @param idToken supplies the user's current ID token from the identity provider
     * @param timeout per request
     * @param clock dates a {@code private_key_jwt} assertion at the identity provider
     * @return an assertion source performing the token exchange for each authorization
     */
    public static AssertionSource idJag(URI idpTokenEndpoint, ClientCredentials idpClient, Supplier<String> idToken,
            Duration timeout, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(idpTokenEndpoint, "idpTokenEndpoint");
        Objects.requireNonNull(idpClient, "idpClient");
        Objects.requireNonNull(idToken, "idToken");
        Http http = new Http(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build(), timeout, 1 << 20);
        return (issuer, resource) -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", TOKEN_EXCHANGE);
            form.put("requested_token_type", ID_JAG);
            form.put("audience", issuer);
            if (resource != null) {
                form.put("resource", resource);
            }
            form.put("subject_token", idToken.get());
            form.put("subject_token_type", ID_TOKEN);
            Map<String, String> headers = new LinkedHashMap<>();
            idpClient.apply(idpTokenEndpoint.toString(), idpTokenEndpoint, form, headers, clock);
            Http.Reply reply = http.postForm(idpTokenEndpoint, form, headers, "identity provider token endpoint");
            JsonNode body = reply.json().orElse(null);
            String jag = body == null ? "" : body.path("access_token").asText("");
            if (!reply.ok() || jag.isEmpty()) {
                throw new ClientAuthorizationException("token exchange at " + idpTokenEndpoint + " answered "
                        + reply.status() + (body == null ? "" : " " + body.path("error").asText("")));
            }
            return jag;
        };
    }
}
