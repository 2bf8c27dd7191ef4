package io.github.mcpoauth.spring;

import static io.github.mcpoauth.spring.StarterApps.get;
import static io.github.mcpoauth.spring.StarterApps.mcpInitialize;
import static io.github.mcpoauth.spring.StarterApps.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.McpOAuth;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A Boot app without Spring Security: the starter alone mounts the server and guards {@code /mcp}. */
class BareBootStarterTest {

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = StarterApps.start("spring.autoconfigure.exclude=" + StarterApps.NO_SECURITY + ","
                + StarterApps.NO_DATASOURCE);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void whenMcpCalledWithoutTokenThen401BearerWithResourceMetadata() throws Exception {
        HttpResponse<String> r = send(mcpInitialize(app));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString()
                .startsWith("Bearer ")
                .contains("resource_metadata=\"" + StarterApps.base(app)
                        + "/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void whenMetadataRequestedThenServedWithTheConfiguredIssuer() throws Exception {
        HttpResponse<String> as = send(get(app, "/.well-known/oauth-authorization-server"));
        HttpResponse<String> prm = send(get(app, "/.well-known/oauth-protected-resource/mcp"));

        assertThat(as.statusCode()).isEqualTo(200);
        assertThat(as.body().replace("\\/", "/")).contains("\"issuer\":\"" + StarterApps.base(app) + "\"")
                .contains("/oauth2/token");
        assertThat(prm.statusCode()).isEqualTo(200);
        assertThat(prm.body().replace("\\/", "/")).contains("\"resource\":\"" + StarterApps.base(app) + "/mcp\"");
    }

    @Test
    void whenMcpCalledWithValidTokenThenTheAppSeesTheCaller() throws Exception {
        HttpResponse<String> r = send(get(app, "/mcp").header("Authorization", "Bearer " + StarterApps.token(app)));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("AccessTokenPrincipal alice");
    }

    @Test
    void whenNoSpringSecurityThenTheContainerPrincipalSignsUsersIn() {
        assertThat(app.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class)).isEmpty();
        assertThat(app.getBean(McpOAuth.class)).isNotNull();
        assertThat(app.getBean(McpOAuthServletInitializer.class).getOrder())
                .isEqualTo(McpOAuthServletInitializer.ORDER);
    }
}
