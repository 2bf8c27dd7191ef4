package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.mcpoauth.core.store.StoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The example configured with {@code JDBC_URL} (an embedded PostgreSQL, binaries from Maven Central): mcp-oauth's
 * state is in the database, so a client registered before a restart is still known after it.
 */
@Timeout(120)
class ExampleOnPostgresTest {

    private static final Pattern CLIENT_ID = Pattern.compile("\"client_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

    private static EmbeddedPostgres postgres;
    private static int databases;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void whenExampleRestartsOnTheSameDatabaseThenItStillKnowsTheRegisteredClientAndItsKeys() throws Exception {
        ExampleConfig config = ExampleConfig.fromEnvironment(Map.of("PORT", "0", "BIND_HOST", "127.0.0.1",
                "JDBC_URL", postgres.getJdbcUrl("postgres", newDatabase()), "JDBC_USER", "postgres"));
        String clientId;
        String jwksBefore;
        try (RunningExample example = ExampleServer.start(config)) {
            clientId = register(example);
            assertThat(authorize(example, clientId)).as("before the restart").satisfies(this::isLoginRedirect);
            jwksBefore = get(URI.create(example.baseUri() + "/oauth2/jwks")).body();
            assertThat(jwksBefore).contains("\"kid\"");
        }

        try (RunningExample restarted = ExampleServer.start(config)) {
            assertThat(authorize(restarted, clientId)).as("after the restart").satisfies(this::isLoginRedirect);
            assertThat(get(URI.create(restarted.baseUri() + "/oauth2/jwks")).body()).isEqualTo(jwksBefore);
            assertThat(authorize(restarted, "never-registered")).satisfies(this::isUnknownClientPage);
        }
    }

    @Test
    void whenExampleRunsWithoutJdbcUrlThenARestartForgetsTheClient() throws Exception {
        ExampleConfig config = ExampleConfig.fromEnvironment(Map.of("PORT", "0", "BIND_HOST", "127.0.0.1"));
        String clientId;
        try (RunningExample example = ExampleServer.start(config)) {
            clientId = register(example);
            assertThat(authorize(example, clientId)).satisfies(this::isLoginRedirect);
        }

        try (RunningExample restarted = ExampleServer.start(config)) {
            assertThat(authorize(restarted, clientId)).satisfies(this::isUnknownClientPage);
        }
    }

    @Test
    void whenTheDatabaseIsUnreachableThenTheExampleDoesNotStart() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ExampleConfig config = ExampleConfig.ephemeral().withDatabase(new ExampleConfig.Database(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/app?connectTimeout=5", "postgres", null));

        assertThatThrownBy(() -> ExampleServer.start(config).close())
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).isUnavailable()).isTrue());
    }

    private static synchronized String newDatabase() throws Exception {
        String name = "example_" + ++databases;
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    private String register(RunningExample example) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(example.baseUri() + "/oauth2/register"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"restart test\",\"redirect_uris\":[\""
                        + REDIRECT_URI + "\"],\"token_endpoint_auth_method\":\"none\","
                        + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Matcher m = CLIENT_ID.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    /** An authorization request of {@code clientId}, by a browser with no session. */
    private HttpResponse<String> authorize(RunningExample example, String clientId) throws Exception {
        String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" + "&code_challenge_method=S256"
                + "&state=s1&scope=mcp&resource=" + enc(example.mcpUri().toString());
        return get(URI.create(example.baseUri() + "/oauth2/authorize?" + query));
    }

    private void isLoginRedirect(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(URI.create(r.headers().firstValue("Location").orElseThrow()).getPath())
                .isEqualTo(ExampleServer.LOGIN_PATH);
    }

    private void isUnknownClientPage(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("Authorization failed");
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
