package io.github.mcpoauth.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.faults.FaultyPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example on PostgreSQL through its HikariCP pool, the database frozen ({@code SIGSTOP}): registration is
 * answered 503 with {@code Retry-After} within a few seconds (the driver's socket, login and cancel timeouts and
 * the pool's connection timeout), metadata keeps answering, and the example serves again once the database
 * resumes, without a restart.
 */
@Timeout(120)
class ExampleFaultsTest {

    /** A bound, not a speed measure: query timeout 3 s + cancel signal 3 s, or socket timeout 10 s, plus slack. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    private static FaultyPostgres postgres;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = FaultyPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void whenTheDatabaseFreezesThenRegistrationGets503WithinTheBoundAndServesAgainAfterwards() throws Exception {
        postgres.createDatabase("example_faults");
        ExampleConfig config = ExampleConfig.fromEnvironment(Map.of("PORT", "0", "BIND_HOST", "127.0.0.1",
                "JDBC_URL", postgres.jdbcUrl("example_faults"), "JDBC_USER", "postgres"));
        try (RunningExample example = ExampleServer.start(config)) {
            assertThat(register(example).statusCode()).isEqualTo(201);

            try (FaultyPostgres.Frozen frozen = postgres.freeze()) {
                long start = System.nanoTime();
                HttpResponse<String> refused = register(example);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("temporarily_unavailable").doesNotContain("Exception", "PSQL");
                HttpResponse<String> metadata = get(URI.create(example.baseUri()
                        + "/.well-known/oauth-authorization-server"));
                assertThat(metadata.statusCode()).isEqualTo(200);
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> again = register(example);
            while (again.statusCode() == 503 && System.nanoTime() - deadline < 0) {
                again = register(example); // connections broken by the freeze leave the pool one by one
            }
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        }
    }

    private HttpResponse<String> register(RunningExample example) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(example.baseUri() + "/oauth2/register"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"faults\",\"redirect_uris\":"
                        + "[\"http://127.0.0.1:9/cb\"],\"token_endpoint_auth_method\":\"none\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
