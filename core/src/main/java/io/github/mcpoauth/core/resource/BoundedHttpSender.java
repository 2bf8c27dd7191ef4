package io.github.mcpoauth.core.resource;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends Nimbus requests with the JDK client, bounded in time (connect timeout, and one deadline for the whole
 * exchange including the body) and in size (a response larger than the limit is cut off and refused). Redirects
 * are not followed.
 */
final class BoundedHttpSender implements HTTPRequestSender {

    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;

    BoundedHttpSender(Duration connectTimeout, Duration timeout, int maxBytes) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.getURI()).timeout(timeout);
        request.getHeaderMap().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        String body = request.getBody();
        b.method(request.getMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(b.build(), info -> new Limited(maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete response within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? "request failed" : e.getCause().getMessage(), e.getCause());
        }
        HTTPResponse out = new HTTPResponse(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                out.setHeader(name, values.toArray(String[]::new));
            }
        });
        out.setBody(new String(response.body(), StandardCharsets.UTF_8));
        return out;
    }

    /** Collects at most {@code max} bytes; more cancels the exchange. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int max;
        private Flow.Subscription subscription;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("response larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
