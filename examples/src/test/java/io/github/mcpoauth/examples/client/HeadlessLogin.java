package io.github.mcpoauth.examples.client;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.mcpoauth.client.AuthorizationUrlHandler;

/**
 * A headless browser for the example's pages: follows the authorization URL, signs in on the demo login form,
 * approves the consent page, and delivers the final redirect to the client's loopback listener. It keeps cookies,
 * so a second authorization in the same test reuses the login session like a real browser would.
 */
final class HeadlessLogin implements AuthorizationUrlHandler {

    private static final Pattern FORM = Pattern.compile("<form[^>]*>.*?</form>", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]*)\"");
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
    private static final Pattern APPROVE = Pattern.compile(
            "<button[^>]*name=\"([^\"]*)\"[^>]*value=\"(approve)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("(name|value)=\"([^\"]*)\"");

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
            Matcher form = FORM.matcher(response.body());
            if (!form.find()) {
                throw new IllegalStateException("no form at " + next);
            }
            String html = form.group();
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher input = INPUT.matcher(html);
            while (input.find()) {
                Map<String, String> attrs = attributes(input.group());
                if (attrs.containsKey("name")) {
                    fields.put(attrs.get("name"), attrs.getOrDefault("value", ""));
                }
            }
            if (fields.containsKey("password")) {
                logins.incrementAndGet();
                fields.put("username", username);
                fields.put("password", password);
            } else {
                Matcher approve = APPROVE.matcher(html);
                if (!approve.find()) {
                    throw new IllegalStateException("neither login nor consent form at " + next);
                }
                consents.incrementAndGet();
                fields.put(approve.group(1), approve.group(2));
            }
            Matcher action = ACTION.matcher(html);
            next = action.find() ? next.resolve(unescape(action.group(1))) : next;
            body = encode(fields);
        }
        throw new IllegalStateException("the login did not finish in 20 steps");
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(tag);
        while (m.find()) {
            out.put(m.group(1), unescape(m.group(2)));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#x27;", "'").replace("&amp;", "&");
    }

    private static String encode(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
