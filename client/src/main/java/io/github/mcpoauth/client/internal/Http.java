package io.github.mcpoauth.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mcpoauth.client.ClientAuthorizationException;

/**
 * Every request the client makes to a metadata, registration or token endpoint goes through here: a timeout on
 * each request, a cap on the body read, redirects followed only on the same origin (at most 3), JSON parsed into a
 * tree whose top level must be an object.
 */
public final class Http {

    private static final int MAX_REDIRECTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;

    /**
     * @param client a client that does not follow redirects itself
     * @param timeout per request
     * @param maxBytes the largest body read
     */
    public Http(HttpClient client, Duration timeout, int maxBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
    }

    /** A response: status, JSON object body (or empty when the body is not a JSON object), headers. */
    public record Reply(int status, Optional<JsonNode> json, java.net.http.HttpHeaders headers) {
        /** @return whether the status is 2xx */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * GET a JSON document.
     *
     * @param what names the document in exception messages
     */
    public Reply get(URI uri, String what) {
        return send(HttpRequest.newBuilder(uri).GET().header("Accept", "application/json"), uri, what, 0);
    }

    /** POST a form. */
    public Reply postForm(URI uri, Map<String, String> form, Map<String, String> headers, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));
        headers.forEach(b::header);
        return send(b, uri, what, MAX_REDIRECTS); // a POST is never redirected
    }

    /** POST a JSON body. */
    public Reply postJson(URI uri, JsonNode body, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return send(b, uri, what, MAX_REDIRECTS);
    }

    private Reply send(HttpRequest.Builder builder, URI uri, String what, int redirects) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ClientAuthorizationException(what + " at " + uri + " did not answer within " + timeout, e);
        } catch (IOException e) {
            throw new ClientAuthorizationException(what + " at " + uri + " could not be fetched: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientAuthorizationException("interrupted while fetching " + what, e);
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
            close(response.body());
            URI target = uri.resolve(response.headers().firstValue("Location").get());
            if (!sameOrigin(uri, target)) {
                throw new ClientAuthorizationException(what + " at " + uri + " redirects to another host: "
                        + target.getScheme() + "://" + target.getRawAuthority());
            }
            if (redirects >= MAX_REDIRECTS) {
                throw new ClientAuthorizationException(what + " at " + uri + ": too many redirects");
            }
            return send(HttpRequest.newBuilder(target).GET().header("Accept", "application/json"), target, what,
                    redirects + 1);
        }
        byte[] body = readBounded(response.body(), uri, what);
        return new Reply(status, parseObject(body), response.headers());
    }

    private byte[] readBounded(InputStream in, URI uri, String what) {
        try (in) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new ClientAuthorizationException(what + " at " + uri + " is larger than " + maxBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            // the HttpClient reports a body that stalls past the request timeout as an IOException
            throw new ClientAuthorizationException(what + " at " + uri + " could not be read: " + e.getMessage(), e);
        }
    }

    private static Optional<JsonNode> parseObject(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was read; nothing to report
        }
    }

    /** @return whether both URIs have the same scheme, host and port */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equals(u.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** application/x-www-form-urlencoded */
    public static String formEncode(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
        return j.toString();
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
