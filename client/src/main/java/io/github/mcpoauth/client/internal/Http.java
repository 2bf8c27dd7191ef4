package io.github.mcpoauth.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        // one deadline for headers and body together: a server that trickles its body cannot hold the client
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(builder.timeout(timeout).build(),
                info -> new BoundedBody(maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ClientAuthorizationException(what + " at " + uri + " did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new ClientAuthorizationException(what + " at " + uri + " did not answer within " + timeout,
                        cause);
            }
            if (cause instanceof BoundedBody.TooLarge) {
                throw new ClientAuthorizationException(what + " at " + uri + " is larger than " + maxBytes + " bytes");
            }
            throw new ClientAuthorizationException(what + " at " + uri + " could not be fetched: " + cause, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ClientAuthorizationException("interrupted while fetching " + what, e);
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
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
        return new Reply(status, parseObject(response.body()), response.headers());
    }

    /** Collects a body of at most {@code max} bytes; a larger one fails the response and cancels the download. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

        /** The body is over the limit. */
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge() {
                super("response body over the limit", null);
            }
        }

        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (out.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
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
