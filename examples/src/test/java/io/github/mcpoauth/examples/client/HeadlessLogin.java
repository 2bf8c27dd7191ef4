package io.github.mcpoauth.examples.client;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.mcpoauth.client.AuthorizationUrlHandler;
import io.github.mcpoauth.examples.jetty.BrowserForm;

/**
 * A headless browser for the example's pages: follows the authorization URL, signs in on the demo login form,
 * approves the consent page, and delivers the final redirect to the client's loopback listener. It keeps cookies,
 * so a second authorization in the same test reuses the login session like a real browser would.
 */
final class HeadlessLogin implements AuthorizationUrlHandler {

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();
    private final String username;
    private final String password;
    final AtomicInteger authorizations = new AtomicInteger();
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger consents = new AtomicInteger();

    HeadlessLogin(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public void open(URI authorizationUrl) throws Exception {
        authorizations.incrementAndGet();
        URI next = authorizationUrl;
        String body = null;
        for (int step = 0; step < 20; step++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(30));
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", next.getScheme() + "://" + next.getRawAuthority())
                        .POST(HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 3) {
                URI location = next.resolve(response.headers().firstValue("Location").orElseThrow());
                body = null;
                if ("/callback".equals(location.getPath()) && location.getPort() != authorizationUrl.getPort()) {
                    http.send(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return;
                }
                next = location;
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " at " + next);
            }
            BrowserForm.Submission form = BrowserForm.submit(response.body(), next, username, password);
            (form.signIn() ? logins : consents).incrementAndGet();
            next = form.action();
            body = form.body();
        }
        throw new IllegalStateException("the login did not finish in 20 steps");
    }
}
