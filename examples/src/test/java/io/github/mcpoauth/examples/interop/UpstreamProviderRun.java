package io.github.mcpoauth.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.examples.jetty.ExampleConfig;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import io.github.mcpoauth.examples.jetty.RunningExample;
import io.github.mcpoauth.examples.jetty.UpstreamLoginExample;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * Runs a flow against the example configured with an upstream OpenID provider: a real one started here
 * (mock-oauth2-server, issuer {@code corp}), which signs in {@code alice@example.com}. Kept apart from
 * {@link TypeScriptSdkInteropTest} so that the modules reusing that class through the test-jar need no provider.
 */
final class UpstreamProviderRun {

    /** The flow to run against the example's base URI; returns the path the script took. */
    @FunctionalInterface
    interface Flow {
        String run(URI base) throws Exception;
    }

    private UpstreamProviderRun() {
    }

    static void run(Flow flow) throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        try {
            idp.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "upstream-alice", "JWT", null,
                    Map.of("email", "alice@example.com", "email_verified", true), 3600));
            UpstreamLoginExample upstream = new UpstreamLoginExample("Corp SSO",
                    URI.create(idp.wellKnownUrl("corp").toString()), "mcp-example", "example-secret", "email",
                    "example.com");
            ExampleConfig config = ExampleConfig.ephemeral().withAuthorizationInstaller(upstream.installer(null));
            try (RunningExample example = ExampleServer.start(config)) {
                assertThat(flow.run(example.baseUri())).isEqualTo("oauth");
            }
        } finally {
            idp.shutdown();
        }
    }
}
