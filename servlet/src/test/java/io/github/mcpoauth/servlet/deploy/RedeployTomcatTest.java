package io.github.mcpoauth.servlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.testing.Browser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jakarta.servlet.ServletContainerInitializer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * A WAR-like application on embedded Tomcat 11, deployed, undeployed and deployed again at {@code /app}: each
 * deployment builds its own {@link McpOAuth} in a container initializer, and undeploying it leaves no thread of it
 * running (the listener {@code install} registers closes it).
 */
class RedeployTomcatTest {

    private static final String APP = ContextPathContract.APP;

    @Test
    void whenAppIsUndeployedThenNoMcpOAuthThreadSurvivesAndARedeployServesAgain() throws Exception {
        Set<Thread> before = mcpOAuthThreads();
        try (ContextPathTomcatTest.TomcatApp t = ContextPathTomcatTest.TomcatApp.create()) {
            Context app = deploy(t, 1);
            t.tomcat().start();
            List<Thread> started = new ArrayList<>();
            for (int deployment = 0; deployment < 2; deployment++) {
                if (deployment > 0) {
                    // redeploy: a new version of the context at the same path, with a new server of its own
                    app = deploy(t, deployment + 1);
                }
                assertThat(app.getState()).isEqualTo(LifecycleState.STARTED);
                exercise(t.base());
                Set<Thread> now = mcpOAuthThreads();
                now.removeAll(before);
                now.removeAll(started);
                assertThat(now).extracting(Thread::getName).contains("mcp-oauth-housekeeping",
                        "mcp-oauth-client-document-dns");
                started.addAll(now);

                t.tomcat().getHost().removeChild(app); // undeploy: stops and destroys the context
                for (Thread thread : started) {
                    thread.join(30_000);
                    assertThat(thread.isAlive()).as(thread.getName() + " after undeploy").isFalse();
                }
            }
        }
    }

    /** The application: a context whose initializer, like a WAR's, builds a server of its own. */
    private static Context deploy(ContextPathTomcatTest.TomcatApp t, int version) {
        StandardContext app = new StandardContext();
        app.setName(APP + "##" + version); // Tomcat's parallel deployment naming: path ## version
        app.setPath(APP);
        app.setWebappVersion(Integer.toString(version));
        app.setDocBase(t.dir().toString());
        app.addLifecycleListener(new Tomcat.FixContextListener());
        app.addServletContainerInitializer(initializer(t.base()), null);
        t.tomcat().getHost().addChild(app);
        return app;
    }

    private static ServletContainerInitializer initializer(URI base) {
        return (classes, ctx) -> McpOAuth.builder()
                .settings(io.github.mcpoauth.core.settings.AuthorizationServerSettings.builder()
                        .issuer(base + APP).resource(base + APP + "/mcp").build())
                .authenticator(io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator.sessionAttribute("u",
                        "/login"))
                .wellKnownAtRoot(true)
                .build().install(ctx);
    }

    /** Loads the signing keys (housekeeping) and resolves a client ID metadata document host (DNS pool). */
    private static void exercise(URI base) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> jwks = browser.get(URI.create(base + APP + "/oauth2/jwks"));
        assertThat(jwks.statusCode()).as(jwks.body()).isEqualTo(200);
        HttpResponse<String> cimd = browser.get(URI.create(base + APP + "/oauth2/authorize?response_type=code"
                + "&client_id=" + ContextPathContract.enc("https://localhost/client.json")
                + "&redirect_uri=" + ContextPathContract.enc("http://127.0.0.1:9/cb")
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
        assertThat(cimd.statusCode()).isEqualTo(400); // a loopback document host is refused, after resolving it
    }

    private static Set<Thread> mcpOAuthThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().startsWith("mcp-oauth-"))
                .collect(Collectors.toSet());
    }
}
