package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The answers SECURITY.md names, as assertions. */
final class SecurityAssertions {

    private SecurityAssertions() {
    }

    /** A JSON OAuth error: {@code status}, {@code {"error": error}}, JSON, {@code Cache-Control: no-store}. */
    static JsonNode assertOAuthError(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as("content type").hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).as("Cache-Control").hasValue("no-store");
        JsonNode body = McpClient.json(r);
        assertThat(body.path("error").asText()).as("error of %s", r.body()).isEqualTo(error);
        return body;
    }

    /** A local error: a 400 HTML page on the server, no redirect anywhere, with the page security headers. */
    static void assertLocalErrorPage(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).as("Location").isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/html"));
        assertPageHeaders(r);
    }

    /** The headers every HTML page of the authorization server carries (SECURITY case 10). */
    static void assertPageHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).as("CSP").hasValueSatisfying(
                csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).as("X-Frame-Options").hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).as("Referrer-Policy").hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    /**
     * An error redirect: 302 to the client's registered redirect URI with {@code error}, the {@code state} sent
     * (or none if {@code state} is {@code null}) and exactly one {@code iss}, the issuer.
     *
     * @return the redirect's query
     */
    static Map<String, String> assertErrorRedirect(HttpResponse<String> r, McpClient client, String issuer,
            String error, String state) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(302);
        URI location = Browser.location(r);
        assertThat(location.toString()).startsWith(client.redirectUri() + "?");
        Map<String, String> q = Browser.query(location);
        assertThat(q.get("error")).as("error in %s", location).isEqualTo(error);
        if (state == null) {
            assertThat(q).doesNotContainKey("state");
        } else {
            assertThat(q.get("state")).isEqualTo(state);
        }
        assertThat(values(location, "iss")).as("iss in %s", location).containsExactly(issuer);
        assertThat(q).doesNotContainKey("code");
        return q;
    }

    /** Every value of query parameter {@code name} in {@code uri}, in order. */
    static List<String> values(URI uri, String name) {
        List<String> out = new ArrayList<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                out.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
