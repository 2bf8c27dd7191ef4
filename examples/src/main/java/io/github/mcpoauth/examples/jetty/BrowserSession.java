package io.github.mcpoauth.examples.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One new browser's way through the authorization pages, for {@link WarmStart}: its requests have the shape a
 * browser's have, so that a warm-up compiles the server's paths for them. A browser's {@code GET} has no body and
 * no {@code Content-Length} (sent with {@link HttpURLConnection}; the JDK {@link HttpClient} adds {@code
 * Content-Length: 0}, and a server warmed up only on that takes other branches in its HTTP parser and body readers
 * for the first real browser); a form is posted with its length. Cookies are kept for this browser alone.
 */
final class BrowserSession {

    private final CookieManager cookies = new CookieManager();
    private final HttpClient forms;
    private final Duration timeout;

    /** A browser with no cookies; form posts run on {@code executor}, no request waits longer than {@code timeout}. */
    BrowserSession(Executor executor, Duration timeout) {
        this.timeout = timeout;
        this.forms = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies).build();
    }

    /**
     * Follows the browser's way from {@code start} to the redirect to {@code redirectUri} (returned), filling in
     * the sign-in and consent pages it meets as {@code user} ({@link BrowserForm#submit}).
     */
    URI authorize(URI start, String redirectUri, String user, String password) throws IOException,
            InterruptedException {
        URI next = start;
        String form = null;
        for (int step = 0; step < 8; step++) {
            Page page = form == null ? get(next) : post(next, form);
            if (page.status() / 100 == 3) {
                if (page.location() == null) {
                    throw new IOException("HTTP " + page.status() + " without Location at " + next.getPath());
                }
                next = next.resolve(page.location());
                if (next.toString().startsWith(redirectUri)) {
                    return next;
                }
                form = null;
            } else if (page.status() == 200) {
                BrowserForm.Submission submission = BrowserForm.submit(page.body(), next, user, password);
                next = submission.action();
                form = submission.body();
            } else {
                throw new IOException("authorization: HTTP " + page.status() + " at " + next.getPath());
            }
        }
        throw new IOException("the authorization did not come back in 8 steps");
    }

    /** What a page answered: its status, {@code Location} if any, and its body (read only when 200). */
    private record Page(int status, String location, String body) {
    }

    private Page get(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        for (Map.Entry<String, List<String>> header : cookies.get(uri, Map.of()).entrySet()) {
            for (String value : header.getValue()) {
                c.addRequestProperty(header.getKey(), value);
            }
        }
        int status = c.getResponseCode();
        cookies.put(uri, c.getHeaderFields());
        String body;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            // read to the end either way, so that the connection goes back to the keep-alive cache
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            body = status == 200 ? new String(bytes, StandardCharsets.UTF_8) : null;
        }
        return new Page(status, c.getHeaderField("Location"), body);
    }

    private Page post(URI uri, String form) throws IOException, InterruptedException {
        HttpResponse<String> r = forms.send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", uri.getScheme() + "://" + uri.getRawAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new Page(r.statusCode(), r.headers().firstValue("Location").orElse(null),
                r.statusCode() == 200 ? r.body() : null);
    }
}
