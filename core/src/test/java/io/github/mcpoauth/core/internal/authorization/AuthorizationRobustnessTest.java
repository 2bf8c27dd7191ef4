package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.fixtures.AuthorizationParams;
import io.github.mcpoauth.core.fixtures.PkcePair;
import io.github.mcpoauth.core.fixtures.TestClients;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SECURITY.md case 35 for the authorization endpoint: junk in any parameter never throws. */
class AuthorizationRobustnessTest {

    private static final String[] PARAMS = {"response_type", "client_id", "redirect_uri", "state", "scope",
        "code_challenge", "code_challenge_method", "resource", "response_mode", "request", "request_uri", "prompt"};

    static List<String> junk(Random random) {
        List<String> values = new ArrayList<>(Arrays.asList("", " ", "\t", "\u0000", "\"", "\\", "%", "%zz", "#",
                "?", "&", "=", "a b", "\r\n", "\u202e", "\ud800", "\uffff", "\u00e9", "..", "/", "//", "http://",
                "https://", "javascript:alert(1)", "https://app.example.com/callback#", "x".repeat(10_000),
                "code", "S256", "plain", "mcp:read", "https://mcp.example.com/mcp", "[::1]", "http://[::1"));
        for (int i = 0; i < 30; i++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(60);
            for (int j = 0; j < len; j++) {
                b.append((char) random.nextInt(0x3000));
            }
            values.add(b.toString());
        }
        return values;
    }

    @Test
    void whenAnyParameterIsJunkThenValidateNeverThrowsAndNeverRedirectsToAnUnregisteredUri() {
        TestServer server = TestServer.create();
        RegisteredClient client = server.save(TestClients.publicClient());
        PkcePair pkce = PkcePair.random();
        Random random = new Random(7);
        List<String> junk = junk(random);

        for (String name : PARAMS) {
            for (String value : junk) {
                for (boolean twice : new boolean[] {false, true}) {
                    AuthorizationParams p = AuthorizationParams.valid(client, pkce).set(name, value);
                    if (twice) {
                        p.add(name, value);
                    }
                    AuthorizationOutcome outcome = server.server().authorization().validate(p.build());
                    assertThat(outcome).isNotNull();
                    if (outcome instanceof AuthorizationOutcome.Redirect r) {
                        assertThat(r.location().toString()).startsWith(TestClients.REDIRECT_URI + "?");
                    }
                }
            }
        }
    }

    @Test
    void whenParameterMapIsOddThenValidateNeverThrows() {
        TestServer server = TestServer.create();
        Map<String, List<String>> odd = new HashMap<>();
        odd.put(null, List.of("x"));
        odd.put("client_id", null);
        odd.put("state", Arrays.asList(null, "s"));
        odd.put("", List.of(""));

        assertThat(server.server().authorization().validate(odd)).isInstanceOf(AuthorizationOutcome.LocalError.class);
    }

    @Test
    void whenAllParametersAreRandomThenValidateNeverThrows() {
        TestServer server = TestServer.create();
        RegisteredClient client = server.save(TestClients.publicClient());
        Random random = new Random(11);
        List<String> junk = junk(random);
        for (int i = 0; i < 2000; i++) {
            AuthorizationParams p = AuthorizationParams.valid(client, PkcePair.random());
            for (String name : PARAMS) {
                if (random.nextInt(3) == 0) {
                    p.set(name, junk.get(random.nextInt(junk.size())));
                }
            }
            assertThat(server.server().authorization().validate(p.build())).isNotNull();
        }
    }
}
