package io.github.mcpoauth.benchmarks.load;

import java.io.IOException;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK {@code HttpClient} behind {@link HttpSender} ({@code --http-client jdk}): HTTP/1.1 with its connection
 * pool, a {@link CookieManager}, no redirects followed. Its pool drops a connection a server closed while idle by
 * itself, so it makes no retries the harness could count.
 */
final class JdkHttpSender implements HttpSender {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT).build();

    @Override
    public Response send(Request request) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(TIMEOUT);
        for (int i = 0; i < request.headers().size(); i += 2) {
            b.header(request.headers().get(i), request.headers().get(i + 1));
        }
        if (request.body() == null) {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        List<String> headers = new ArrayList<>();
        r.headers().map().forEach((name, values) -> values.forEach(v -> {
            headers.add(name);
            headers.add(v);
        }));
        return new Response(r.statusCode(), headers, r.body() == null ? "" : r.body());
    }

    @Override
    public long retries() {
        return 0;
    }

    @Override
    public Kind kind() {
        return Kind.JDK;
    }

    /** Nothing to do on JDK 17: its {@code HttpClient} has no {@code close}, and ends once unreferenced. */
    @Override
    public void close() {
    }
}
