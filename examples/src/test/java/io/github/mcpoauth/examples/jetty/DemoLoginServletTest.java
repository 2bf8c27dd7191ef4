package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoLoginServletTest {

    private static RunningExample example;

    @BeforeAll
    static void start() throws Exception {
        example = ExampleServer.start(ExampleConfig.ephemeral());
    }

    @AfterAll
    static void stop() {
        if (example != null) {
            example.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                        | /",
            "''                          | /",
            "/authorize?client_id=a&x=%2F | /authorize?client_id=a&x=%2F",
            "/                           | /",
            "//evil.example              | /",
            "/\\evil.example             | /",
            "https://evil.example/       | /",
            "evil                        | /",
            "/a b                        | /",
    })
    void safeReturnPath(String candidate, String expected) {
        assertThat(DemoLoginServlet.safeReturnPath(candidate)).isEqualTo(expected);
    }

    @Test
    void safeReturnPathRejectsControlCharacters() {
        assertThat(DemoLoginServlet.safeReturnPath("/\t/evil.example")).isEqualTo("/");
        assertThat(DemoLoginServlet.safeReturnPath("/x\r\nSet-Cookie: a=b")).isEqualTo("/");
    }

    @Test
    void demoUsers() {
        assertThat(DemoUsers.DEFAULT.authenticate("alice", "alice-password")).contains("alice");
        assertThat(DemoUsers.DEFAULT.authenticate("bob", "bob-password")).contains("bob");
        assertThat(DemoUsers.DEFAULT.authenticate("alice", "bob-password")).isEmpty();
        assertThat(DemoUsers.DEFAULT.authenticate("mallory", "x")).isEmpty();
        assertThat(DemoUsers.DEFAULT.authenticate(null, null)).isEmpty();
    }

    @Test
    void loginStoresUserInSessionAndRedirectsToReturn() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> form = b.get("/login?return=" + enc("/authorize?client_id=c1&state=s"));
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"username\"", "name=\"password\"", "method=\"post\"");
        String sessionBefore = b.cookie("JSESSIONID");

        HttpResponse<String> done = b.post("/login", Map.of(
                "csrf", hidden(form.body(), "csrf"),
                "return", hidden(form.body(), "return"),
                "username", "alice",
                "password", "alice-password"));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains("/authorize?client_id=c1&state=s");
        assertThat(b.cookie("JSESSIONID")).as("session id renewed").isNotEqualTo(sessionBefore);

        assertThat(b.get("/").body()).contains("Signed in as <strong>alice</strong>");
    }

    @Test
    void wrongPasswordShowsFormAgain() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> form = b.get("/login");
        HttpResponse<String> again = b.post("/login", Map.of(
                "csrf", hidden(form.body(), "csrf"), "return", "/", "username", "alice", "password", "nope"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("Wrong username or password", "name=\"password\"");
        assertThat(b.get("/").body()).doesNotContain("Signed in as");
    }

    @Test
    void missingCsrfTokenIsRejected() throws Exception {
        Browser b = new Browser();
        b.get("/login");
        HttpResponse<String> res = b.post("/login", Map.of("username", "alice", "password", "alice-password"));
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(b.get("/").body()).doesNotContain("Signed in as");
    }

    @Test
    void unsafeReturnFallsBackToRoot() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> form = b.get("/login?return=" + enc("//evil.example/x"));
        assertThat(hidden(form.body(), "return")).isEqualTo("/");
        HttpResponse<String> done = b.post("/login", Map.of(
                "csrf", hidden(form.body(), "csrf"), "return", "https://evil.example/",
                "username", "bob", "password", "bob-password"));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains("/");
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field %s", name).isTrue();
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#39;", "'");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final class Browser {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(example.baseUri().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = new LinkedHashMap<>(form).entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                    .collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(example.baseUri().resolve(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String cookie(String name) {
            return cookies.getCookieStore().get(URI.create(example.baseUri() + "/")).stream()
                    .filter(c -> c.getName().equals(name)).map(c -> c.getValue()).findFirst().orElse(null);
        }
    }
}
