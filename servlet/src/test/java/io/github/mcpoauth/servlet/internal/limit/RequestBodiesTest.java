package io.github.mcpoauth.servlet.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestBodies} on scripted requests: what it reads, when it waits, and when it closes the connection. The
 * end-to-end behaviour over real HTTP is in {@code EndpointHardeningTest}.
 */
class RequestBodiesTest {

    /** A request body arriving in scripted pieces; an empty deque means "nothing more has arrived (yet)". */
    static final class ScriptedBody extends ServletInputStream {
        final Deque<byte[]> arrived = new ArrayDeque<>();
        boolean finished;
        int availableCalls;
        int bytesRead;

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int available() {
            availableCalls++;
            return arrived.isEmpty() ? 0 : arrived.peek().length;
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte reads are not expected");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (arrived.isEmpty()) {
                throw new AssertionError("a read that would block");
            }
            byte[] next = arrived.poll();
            assertThat(len).isGreaterThanOrEqualTo(next.length);
            bytesRead += next.length;
            return next.length;
        }
    }

    /** Builds the request and response proxies of one exchange. */
    static final class Exchange {
        final ScriptedBody body = new ScriptedBody();
        final Map<String, String> requestHeaders = new HashMap<>();
        final Map<String, String> responseHeaders = new HashMap<>();
        String protocol = "HTTP/1.1";
        long contentLength = -1;
        boolean streamTaken;

        Exchange contentLength(long length) {
            this.contentLength = length;
            return this;
        }

        Exchange header(String name, String value) {
            requestHeaders.put(name, value);
            return this;
        }

        Exchange arrived(int... pieces) {
            for (int piece : pieces) {
                body.arrived.add(new byte[piece]);
            }
            return this;
        }

        HttpServletRequest request() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getContentLengthLong" -> contentLength;
                        case "getProtocol" -> protocol;
                        case "getHeader" -> requestHeaders.get((String) args[0]);
                        case "getHeaders" -> Collections.enumeration(requestHeaders.containsKey((String) args[0])
                                ? List.of(requestHeaders.get((String) args[0])) : List.of());
                        case "getInputStream" -> {
                            streamTaken = true;
                            yield body;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        HttpServletResponse response() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "isCommitted" -> false;
                        case "setHeader" -> {
                            responseHeaders.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        boolean discard() {
            return RequestBodies.discard(request(), response(), 1000, Duration.ofMillis(100));
        }
    }

    @Test
    void whenRequestHasNoBodyThenTheStreamIsNotTouchedAndTheConnectionKept() {
        Exchange get = new Exchange();
        Exchange empty = new Exchange().contentLength(0);

        assertThat(get.discard()).isTrue();
        assertThat(empty.discard()).isTrue();

        assertThat(get.streamTaken || empty.streamTaken).isFalse();
        assertThat(get.responseHeaders).isEmpty();
    }

    @Test
    void whenDeclaredBodyHasArrivedThenItIsReadAndTheConnectionKept() {
        Exchange exchange = new Exchange().contentLength(300).arrived(100, 200);

        assertThat(exchange.discard()).isTrue();

        assertThat(exchange.body.bytesRead).isEqualTo(300);
        assertThat(exchange.responseHeaders).isEmpty();
    }

    @Test
    void whenDeclaredBodyNeverArrivesThenConnectionCloseAfterTheWait() {
        Exchange exchange = new Exchange().contentLength(300).arrived(100);

        assertThat(exchange.discard()).isFalse();

        assertThat(exchange.body.bytesRead).isEqualTo(100);
        assertThat(exchange.body.availableCalls).as("polled while waiting").isGreaterThan(2);
        assertThat(exchange.responseHeaders).containsEntry("Connection", "close");
    }

    @Test
    void whenTheTickerPassesTheWaitThenConnectionCloseWithoutWaitingOnTheWallClock() {
        Exchange exchange = new Exchange().contentLength(300).arrived(100);
        AtomicLong nanos = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        // Each reading moves the ticker 40 ms: the fourth one is past a 100 ms wait, whatever the real time.
        Ticker ticker = () -> {
            reads.incrementAndGet();
            return nanos.getAndAdd(Duration.ofMillis(40).toNanos());
        };

        assertThat(RequestBodies.discard(exchange.request(), exchange.response(), 1000, Duration.ofMillis(100),
                ticker)).isFalse();

        assertThat(exchange.body.bytesRead).isEqualTo(100);
        assertThat(reads.get()).as("ticker readings: the start and one per empty poll").isEqualTo(4);
        assertThat(exchange.responseHeaders).containsEntry("Connection", "close");
    }

    @Test
    void whenBodyIsLongerThanTheLimitThenReadingStopsAndConnectionClose() {
        Exchange exchange = new Exchange().contentLength(5000).arrived(600, 600, 600, 600);

        assertThat(exchange.discard()).isFalse();

        assertThat(exchange.body.bytesRead).isEqualTo(1200);
        assertThat(exchange.responseHeaders).containsEntry("Connection", "close");
    }

    @Test
    void whenBodyIsChunkedThenWhatArrivedIsReadWithoutWaitingAndConnectionClose() {
        Exchange exchange = new Exchange().header("Transfer-Encoding", "chunked").arrived(50);

        assertThat(exchange.discard()).isFalse();

        assertThat(exchange.body.bytesRead).isEqualTo(50);
        assertThat(exchange.body.availableCalls).as("no polling").isEqualTo(2);
        assertThat(exchange.responseHeaders).containsEntry("Connection", "close");
    }

    @Test
    void whenChunkedBodyIsFinishedThenTheConnectionIsKept() {
        Exchange exchange = new Exchange().header("Transfer-Encoding", "chunked");
        exchange.body.finished = true;

        assertThat(exchange.discard()).isTrue();
        assertThat(exchange.responseHeaders).isEmpty();
    }

    @Test
    void whenClientClosesTheConnectionAnywayThenNoWait() {
        Exchange close = new Exchange().contentLength(300).header("Connection", "keep-alive, close").arrived(100);
        Exchange http10 = new Exchange().contentLength(300).arrived(100);
        http10.protocol = "HTTP/1.0";

        assertThat(close.discard()).isFalse();
        assertThat(http10.discard()).isFalse();

        assertThat(close.body.availableCalls).isEqualTo(2);
        assertThat(http10.body.availableCalls).isEqualTo(2);
    }

    @Test
    void whenLimitOrWaitIsNegativeThenRefusedNamingIt() {
        Exchange exchange = new Exchange();
        assertThatThrownBy(() -> RequestBodies.discard(exchange.request(), exchange.response(), -1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> RequestBodies.discard(exchange.request(), exchange.response(), 0,
                Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
    }
}
