package io.github.mcpoauth.spring;

import static io.github.mcpoauth.spring.StarterApps.get;
import static io.github.mcpoauth.spring.StarterApps.mcpInitialize;
import static io.github.mcpoauth.spring.StarterApps.post;
import static io.github.mcpoauth.spring.StarterApps.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot app with Spring Security and no security configuration of its own (Boot's default chain: everything
 * behind form login and HTTP Basic): MCP clients still get OAuth answers, users sign in through Spring's login.
 */
class SpringSecurityStarterTest {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = StarterApps.start("spring.autoconfigure.exclude=" + StarterApps.NO_DATASOURCE,
                "spring.security.user.name=alice", "spring.security.user.password=alice-password");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void whenMcpCalledWithoutTokenThen401BearerNeverBasicNorLoginRedirect() throws Exception {
        HttpResponse<String> r = send(mcpInitialize(app));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).hasSize(1).first().asString().startsWith("Bearer ")
                .contains("resource_metadata=");
    }

    @Test
    void whenTokenEndpointPostedWithoutCsrfTokenThenOAuthErrorNot401Or403() throws Exception {
        HttpResponse<String> r = send(post(app, "/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=nope&client_id=nobody"));

        assertThat(r.statusCode()).isIn(400, 401);
        assertThat(r.body()).contains("\"error\":\"invalid_");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).doesNotContain("Realm");
    }

    @Test
    void whenClientRegistersWithoutCsrfTokenThen201() throws Exception {
        assertThat(register().statusCode()).isEqualTo(201);
    }

    @Test
    void whenAppPageRequestedWithoutLoginThenTheAppsOwnSecurityStillApplies() throws Exception {
        HttpResponse<String> r = send(get(app, "/hello"));

        assertThat(r.statusCode()).isIn(401, 302);
    }

    @Test
    void whenMcpCalledWithTokenThenSpringSecuritySeesTheCallerWithScopeAuthorities() throws Exception {
        HttpResponse<String> r = send(get(app, "/mcp").header("Authorization", "Bearer " + StarterApps.token(app)));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("McpBearerAuthentication alice [SCOPE_mcp]");
    }

    @Test
    void whenUserNotSignedInThenAuthorizeSendsToTheAppsLoginAndComesBackToConsent() throws Exception {
        Matcher id = Pattern.compile("\"client_id\":\"([^\"]+)\"").matcher(register().body());
        assertThat(id.find()).isTrue();
        URI base = StarterApps.base(app);
        String authorize = "/oauth2/authorize?response_type=code&client_id=" + enc(id.group(1))
                + "&redirect_uri=" + enc("http://127.0.0.1:9/cb") + "&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256&state=s1&scope=mcp&resource=" + enc(base + "/mcp");
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();

        HttpResponse<String> first = browse(browser, HttpRequest.newBuilder(base.resolve(authorize)).GET());
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).get().asString().endsWith("/login");

        HttpResponse<String> loginPage = browse(browser, HttpRequest.newBuilder(base.resolve("/login")).GET());
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(csrf.find()).as(loginPage.body()).isTrue();
        HttpResponse<String> login = browse(browser, HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-password&_csrf="
                        + enc(csrf.group(1)))));
        assertThat(login.statusCode()).isEqualTo(302);
        String back = login.headers().firstValue("Location").orElseThrow();
        assertThat(back).startsWith(base + "/oauth2/authorize?").contains("state=s1");

        HttpResponse<String> consent = browse(browser, HttpRequest.newBuilder(URI.create(back)).GET());
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("<form").contains("127.0.0.1");
    }

    private static HttpResponse<String> register() throws Exception {
        return send(post(app, "/oauth2/register", "application/json",
                "{\"redirect_uris\":[\"http://127.0.0.1:9/cb\"],\"token_endpoint_auth_method\":\"none\","
                        + "\"grant_types\":[\"authorization_code\"],\"response_types\":[\"code\"]}"));
    }

    private static HttpResponse<String> browse(HttpClient browser, HttpRequest.Builder request) throws Exception {
        return browser.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
