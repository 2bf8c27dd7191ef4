package io.github.mcpoauth.servlet.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The body reader's fast path (issue 13): a body that has all arrived is read at once, without going asynchronous;
 * one still in flight, or too large to take at once, goes the asynchronous way (whose deadline and limits the
 * Jetty and Tomcat slow-body tests prove).
 */
class BodyReaderTest {

    private static final String FORM = "grant_type=authorization_code&code=abc&code_verifier=xyz";

    private final List<String> calls = new ArrayList<>();
    private final BodyReader reader = new BodyReader(1024 * 1024, Duration.ofSeconds(5), () -> 0L, "body.test");

    @Test
    void whenTheWholeBodyHasArrivedThenItIsReadAtOnceWithoutGoingAsynchronous() throws Exception {
        byte[] body = FORM.getBytes(StandardCharsets.UTF_8);

        BodyReader.Outcome outcome = reader.read(request(body, body.length, body.length), response());

        assertThat(outcome).isEqualTo(new BodyReader.Outcome.Read(FORM));
        assertThat(calls).doesNotContain("startAsync");
    }

    @Test
    void whenPartOfTheBodyIsStillInFlightThenNothingIsReadAndTheReadGoesAsynchronous() throws Exception {
        byte[] body = FORM.getBytes(StandardCharsets.UTF_8);

        BodyReader.Outcome outcome = reader.read(request(body, body.length, body.length - 1), response());

        assertThat(outcome).isInstanceOf(BodyReader.Outcome.Pending.class);
        assertThat(calls).containsSubsequence("startAsync", "setReadListener").doesNotContain("read");
    }

    @Test
    void whenTheBodyHasNoDeclaredLengthThenTheReadGoesAsynchronous() throws Exception {
        byte[] body = FORM.getBytes(StandardCharsets.UTF_8);

        BodyReader.Outcome outcome = reader.read(request(body, -1, body.length), response());

        assertThat(outcome).isInstanceOf(BodyReader.Outcome.Pending.class);
        assertThat(calls).contains("startAsync").doesNotContain("read");
    }

    @Test
    void whenTheBodyEndsBeforeItsDeclaredLengthThenItIsRefusedNeverParsedCut() throws Exception {
        byte[] body = FORM.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();

        BodyReader.Outcome outcome = reader.read(request(body, body.length + 10, body.length + 10),
                writingResponse(written));

        assertThat(outcome).isInstanceOf(BodyReader.Outcome.Refused.class);
        assertThat(calls).contains("response.setStatus:400");
        assertThat(written.toString(StandardCharsets.UTF_8)).contains("invalid_request");
    }

    /** A response that records its status and keeps what is written to it. */
    private HttpServletResponse writingResponse(java.io.ByteArrayOutputStream into) {
        jakarta.servlet.ServletOutputStream out = new jakarta.servlet.ServletOutputStream() {
            @Override
            public void write(int b) {
                into.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(jakarta.servlet.WriteListener listener) {
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setStatus")) {
                        calls.add("response.setStatus:" + args[0]);
                    }
                    return method.getName().equals("getOutputStream") ? out
                            : method.getReturnType() == boolean.class ? false : null;
                });
    }

    /** A request with {@code body}, of which {@code available} bytes have arrived, declaring {@code length}. */
    private HttpServletRequest request(byte[] body, long length, int available) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                calls.add("read");
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                calls.add("read");
                return bytes.read(b, off, len);
            }

            @Override
            public int available() {
                return Math.max(0, available - (body.length - bytes.available()));
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                calls.add("setReadListener");
            }
        };
        jakarta.servlet.AsyncContext async = (jakarta.servlet.AsyncContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {jakarta.servlet.AsyncContext.class},
                (proxy, method, args) -> null);
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentLengthLong" -> length;
                    case "getInputStream" -> in;
                    case "isAsyncSupported" -> true;
                    case "startAsync" -> {
                        calls.add("startAsync");
                        yield async;
                    }
                    default -> null;
                });
    }

    private HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    calls.add("response." + method.getName());
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }
}
