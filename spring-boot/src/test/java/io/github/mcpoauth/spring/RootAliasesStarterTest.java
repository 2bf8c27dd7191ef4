package io.github.mcpoauth.spring;

import static io.github.mcpoauth.spring.StarterApps.post;
import static io.github.mcpoauth.spring.StarterApps.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Root aliases in a Boot app with Spring Security: off by default (Spring MVC controllers at {@code /register}
 * are invisible to the servlet context), and when turned on, served and opened by mcp-oauth's chain.
 */
class RootAliasesStarterTest {

    private static final String CLIENT = "{\"redirect_uris\":[\"http://127.0.0.1:9/cb\"],"
            + "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\"],"
            + "\"response_types\":[\"code\"]}";

    @Test
    void whenRootAliasesAreLeftOffThenRegisterBelongsToTheAppAndItsSecurity() throws Exception {
        try (ConfigurableApplicationContext app = StarterApps.start(
                "spring.autoconfigure.exclude=" + StarterApps.NO_DATASOURCE)) {
            HttpResponse<String> r = send(post(app, "/register", "application/json", CLIENT));
            assertThat(r.statusCode()).isIn(401, 302, 403); // the app's own chain, not mcp-oauth's
            assertThat(send(post(app, "/oauth2/register", "application/json", CLIENT)).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void whenRootAliasesAreOnThenTheAliasIsServedAndOpenedByTheStarter() throws Exception {
        try (ConfigurableApplicationContext app = StarterApps.start(
                "spring.autoconfigure.exclude=" + StarterApps.NO_DATASOURCE, "mcp.oauth.root-aliases=true")) {
            HttpResponse<String> r = send(post(app, "/register", "application/json", CLIENT));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }
}
