package io.github.mcpoauth.client.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.mcpoauth.client.McpOAuthClient;

/**
 * A minimal MCP client for the stateless 2026-07-28 lifecycle (no initialize; {@code _meta} and
 * {@code MCP-Protocol-Version} on every request), which the MCP Java SDK 2.1 does not implement. It uses the
 * framework-neutral {@link McpOAuthClient} API: {@code authorizationHeaders} on each request, and
 * {@code handleAuthorizationError} on 401/403, retrying while it says so.
 */
final class StatelessMcp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RETRIES = 5;

    private final URI server;
    private final McpOAuthClient oauth;
    private final String version;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    private int nextId = 1;

    StatelessMcp(URI server, McpOAuthClient oauth, String version) {
        this.server = server;
        this.oauth = oauth;
        this.version = version;
    }

    void listAndCall() throws IOException, InterruptedException {
        JsonNode tools = request("tools/list", JSON.createObjectNode());
        for (JsonNode tool : tools.path("tools")) {
            if (tool.path("name").asText().equals("test-tool")) {
                ObjectNode params = JSON.createObjectNode().put("name", "test-tool");
                params.putObject("arguments");
                request("tools/call", params);
            }
        }
    }

    private JsonNode request(String method, ObjectNode params) throws IOException, InterruptedException {
        ObjectNode meta = params.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", version);
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "mcp-oauth-conformance").put("version", "1");
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", nextId++).put("method", method);
        body.set("params", params);
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            Map<String, String> auth = oauth.authorizationHeaders("POST", server);
            HttpRequest.Builder b = HttpRequest.newBuilder(server).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", version)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            auth.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                if (oauth.handleAuthorizationError(r.statusCode(), r.headers(),
                        Optional.ofNullable(auth.get("Authorization")))) {
                    continue;
                }
                throw new IllegalStateException(method + ": HTTP " + r.statusCode());
            }
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + ": HTTP " + r.statusCode() + " " + r.body());
            }
            JsonNode reply = parse(r);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        }
        throw new IllegalStateException(method + ": still unauthorized after " + MAX_RETRIES + " retries");
    }

    /** A JSON body, or the last {@code data:} event of an SSE body. */
    private static JsonNode parse(HttpResponse<String> r) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            return JSON.readTree(r.body());
        }
        JsonNode last = JSON.createObjectNode();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data:")) {
                last = JSON.readTree(line.substring(5).trim());
            }
        }
        return last;
    }
}
