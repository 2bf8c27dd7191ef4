package io.github.mcpoauth.client.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mcpoauth.client.ClientAuthorizationException;

/**
 * Finds the authorization server of an MCP server: the protected resource metadata
 * (<a href="https://www.rfc-editor.org/rfc/rfc9728#section-3">RFC 9728 §3</a>) from the challenge's
 * {@code resource_metadata}, then the path-suffixed and root well-known URLs; then the authorization server
 * metadata (<a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3</a>, OpenID Connect Discovery)
 * in the order the MCP specification gives; the 2025-03-26 fallbacks when nothing is published.
 */
public final class Discovery {

    private final Http http;

    /** @param http the bounded HTTP client */
    public Discovery(Http http) {
        this.http = http;
    }

    /**
     * The outcome.
     *
     * @param resource the PRM's {@code resource} (the RFC 8707 resource indicator), empty in the legacy case
     * @param scopesSupported the PRM's {@code scopes_supported}
     * @param server the authorization server metadata
     */
    public record Result(Optional<URI> resource, List<String> scopesSupported, ServerMetadata server) {
    }

    /** Discovers everything for {@code serverUrl}, given the (possibly empty) challenge of its 401. */
    public Result discover(URI serverUrl, Challenge challenge) {
        Optional<JsonNode> prm = protectedResource(serverUrl, challenge);
        if (prm.isEmpty()) {
            URI origin = origin(serverUrl);
            return new Result(Optional.empty(), List.of(), authorizationServer(origin.toString(), true));
        }
        JsonNode doc = prm.get();
        URI resource = Urls.absolute(text(doc, "resource").orElseThrow(() -> new ClientAuthorizationException(
                "protected resource metadata for " + serverUrl + " has no resource")), "resource");
        if (!resourceMatches(resource, serverUrl)) {
            throw new ClientAuthorizationException("protected resource metadata is for another resource: " + resource
                    + " does not cover " + serverUrl);
        }
        JsonNode servers = doc.get("authorization_servers");
        if (servers == null || !servers.isArray() || servers.isEmpty() || !servers.get(0).isTextual()) {
            throw new ClientAuthorizationException("protected resource metadata for " + resource
                    + " names no authorization_servers");
        }
        String issuer = servers.get(0).asText();
        Urls.absolute(issuer, "authorization_servers[0]");
        return new Result(Optional.of(resource), strings(doc, "scopes_supported"), authorizationServer(issuer, false));
    }

    private Optional<JsonNode> protectedResource(URI serverUrl, Challenge challenge) {
        List<URI> candidates = new ArrayList<>();
        challenge.resourceMetadata().ifPresent(u -> candidates.add(Urls.absolute(u, "resource_metadata")));
        URI origin = origin(serverUrl);
        String path = serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath();
        if (!path.isEmpty() && !path.equals("/")) {
            candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource" + stripTrailingSlash(path)));
        }
        candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource"));
        for (URI candidate : candidates) {
            Http.Reply reply = http.get(candidate, "protected resource metadata");
            if (reply.ok()) {
                return Optional.of(reply.json().orElseThrow(() -> new ClientAuthorizationException(
                        "protected resource metadata at " + candidate + " is not a JSON object")));
            }
        }
        return Optional.empty();
    }

    /** The metadata URLs for an issuer, in the MCP specification's order. */
    static List<URI> metadataUrls(String issuer) {
        URI u = URI.create(issuer);
        String origin = origin(u).toString();
        String path = stripTrailingSlash(u.getRawPath() == null ? "" : u.getRawPath());
        if (path.isEmpty()) {
            return List.of(URI.create(origin + "/.well-known/oauth-authorization-server"),
                    URI.create(origin + "/.well-known/openid-configuration"));
        }
        return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
                URI.create(origin + "/.well-known/openid-configuration" + path),
                URI.create(origin + path + "/.well-known/openid-configuration"));
    }

    private ServerMetadata authorizationServer(String issuer, boolean legacy) {
        for (URI url : metadataUrls(issuer)) {
            Http.Reply reply = http.get(url, "authorization server metadata");
            if (!reply.ok()) {
                continue;
            }
            JsonNode doc = reply.json().orElseThrow(() -> new ClientAuthorizationException(
                    "authorization server metadata at " + url + " is not a JSON object"));
            String claimed = text(doc, "issuer").orElse(null);
            // 2025-03-26 servers had no PRM: the "issuer" fetched for is only the MCP server's origin, so any issuer
            // on that same origin is what the MCP server itself says (RFC 8414 §3.3 holds for named issuers)
            boolean legacyMatch = legacy && claimed != null && sameOriginUrl(claimed, issuer);
            if (!issuer.equals(claimed) && !legacyMatch) {
                throw new ClientAuthorizationException("authorization server metadata at " + url
                        + " is for another issuer: expected " + issuer + ", got " + claimed);
            }
            return ServerMetadata.parse(doc, claimed);
        }
        return ServerMetadata.fallback(origin(URI.create(issuer)));
    }

    /**
     * RFC 9728 §7.3 / RFC 8707: the PRM's resource must be the server URL or a prefix of it on the same origin.
     */
    static boolean resourceMatches(URI resource, URI serverUrl) {
        if (!Http.sameOrigin(resource, serverUrl) || resource.getRawQuery() != null
                || resource.getRawFragment() != null) {
            return false;
        }
        String rp = stripTrailingSlash(resource.getRawPath() == null ? "" : resource.getRawPath()) + "/";
        String sp = stripTrailingSlash(serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath()) + "/";
        return sp.startsWith(rp);
    }

    private static boolean sameOriginUrl(String a, String b) {
        try {
            return Http.sameOrigin(URI.create(a), URI.create(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static URI origin(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static Optional<String> text(JsonNode doc, String field) {
        JsonNode n = doc.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }

    static List<String> strings(JsonNode doc, String field) {
        JsonNode n = doc.get(field);
        if (n == null || !n.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> {
            if (e.isTextual()) {
                out.add(e.asText());
            }
        });
        return List.copyOf(out);
    }
}
