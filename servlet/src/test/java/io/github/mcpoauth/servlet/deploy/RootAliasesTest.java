package io.github.mcpoauth.servlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Root aliases ({@code /authorize}, {@code /token}, {@code /register}) next to an application's own paths. */
class RootAliasesTest {

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.github.mcpoauth.servlet.McpOAuth");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
    }

    /** The application's own sign-up page. */
    static final class SignUp extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("sign up here");
        }
    }

    @Test
    void whenAppMapsRegisterItselfThenTheAliasIsSkippedWithAWarningAndTheOthersStay() throws Exception {
        try (TestServer server = TestServer.builder().servlet("/register", base -> new SignUp()).start()) {
            Browser browser = new Browser();
            HttpResponse<String> signUp = browser.get(server.uri("/register"));
            assertThat(signUp.statusCode()).isEqualTo(200);
            assertThat(signUp.body()).isEqualTo("sign up here");
            assertThat(warnings).extracting(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                    .anySatisfy(m -> assertThat(m).contains("/register").contains("maps it already"));

            // the other aliases are mcp-oauth's: a token request without a grant is an OAuth error, not a 404
            HttpResponse<String> token = browser.post(server.uri("/token"), java.util.Map.of());
            assertThat(token.statusCode()).isEqualTo(400);
            assertThat(token.body()).contains("invalid_request");
            // the endpoint itself is where it always was
            assertThat(browser.post(server.uri("/oauth2/register"), java.util.Map.of()).statusCode())
                    .isNotEqualTo(404);
        }
    }

    @Test
    void whenRootAliasesAreOffThenNoneIsMounted() throws Exception {
        try (TestServer server = TestServer.builder().oauth(b -> b.rootAliases(false)).start()) {
            Browser browser = new Browser();
            for (String alias : List.of("/authorize", "/token", "/register")) {
                assertThat(browser.get(server.uri(alias)).statusCode()).as(alias).isEqualTo(404);
            }
            assertThat(warnings).isEmpty();
        }
    }
}
