package io.github.mcpoauth.servlet.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.internal.limit.StorePermits;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Token verification takes a store permit: when none is free in time (the store is slow and every permit is held)
 * a valid token gets 503 {@code temporarily_unavailable} with {@code Retry-After}, never 401, and is let through
 * once a permit is free again.
 */
class GuardStorePermitsTest {

    @Test
    void whenNoStorePermitIsFreeThenAValidTokenGets503WithRetryAfterAndPassesOnceOneIs() throws Exception {
        GuardFixture fx = new GuardFixture("http://localhost:9000/mcp");
        StorePermits permits = StorePermits.of(1, Duration.ZERO);
        BearerGuardFilter guard = BearerGuardFilter.builder(fx.settings, fx.verifier).storePermits(permits).build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(guard), "/mcp", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(200);
            }
        }), "/mcp");
        server.setHandler(context);
        server.start();
        try {
            String token = fx.token("mcp", "g1");
            URI mcp = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).GET().build();

            assertThat(permits.tryAcquire()).isTrue(); // the store is busy: the only permit is held
            HttpResponse<String> busy = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
            assertThat(busy.body()).contains("temporarily_unavailable");

            permits.release();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(permits.available()).isEqualTo(1);
        } finally {
            server.stop();
        }
    }
}
