package io.github.mcpoauth.benchmarks.load;

import java.net.URI;
import java.util.Set;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.examples.jetty.DemoLoginServlet;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.servlet.McpOAuth;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;

/**
 * The authorization every harness's example runs: the example's, with every rate limit off, so that the harnesses
 * measure the server and not its limits (issue 13 runs both sides with their limits off).
 */
final class UnlimitedAuthorization {

    private UnlimitedAuthorization() {
    }

    /**
     * The example's authorization ({@link ExampleServer#installAuthorization}) with every rate limit off, on
     * {@code stores} (the in-memory ones when {@code null}), warmed up at start with {@code warmUpFlows} flows.
     */
    static void install(ServletContextHandler ctx, URI issuer, Stores stores, int warmUpFlows) {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder()
                .issuer(issuer)
                .resource(issuer + ExampleServer.MCP_PATH)
                .scopes(Set.of("mcp"))
                .build();
        McpOAuth.Builder oauth = McpOAuth.builder()
                .settings(settings)
                .rateLimits(RateLimits.none())
                .authenticator(ResourceOwnerAuthenticator.sessionAttribute(DemoLoginServlet.SESSION_USER,
                        ExampleServer.LOGIN_PATH))
                .authorizationServer(server -> server.warmUpFlows(warmUpFlows));
        if (stores != null) {
            oauth.stores(stores);
        }
        ctx.addServletContainerInitializer(oauth.build().initializer());
    }
}
