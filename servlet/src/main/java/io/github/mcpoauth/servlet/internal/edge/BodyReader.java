package io.github.mcpoauth.servlet.internal.edge;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request body within a byte limit and a deadline, so that a client trickling its body cannot hold a
 * container thread: one that has not sent its whole body when the deadline passes gets 408 {@code invalid_request}
 * with {@code Connection: close} (RFC 9110 §15.5.9); one sending more than the limit gets 413.
 *
 * <p>A body of declared length that has all arrived already (a small one usually comes with its headers) is read
 * at once on the container thread: nothing to wait for. Otherwise, where the request may go asynchronous (the
 * servlet and every filter before it support it) the body is read
 * with a {@link ReadListener}: no thread waits while bytes are in flight. The deadline is read from the server's
 * clock (as a {@link Ticker}) each time bytes arrive; the container's async timeout, set to the same span, wakes
 * the reader for a client that sends nothing at all. Once the whole body is in, the request is dispatched back to
 * the servlet with the body as a request attribute, so the endpoint runs on an ordinary container thread. Where it
 * may not, only bytes that have arrived are read (never a blocking read), polling until the body is complete or the
 * deadline passes: a thread is held, but for the deadline at most.
 */
final class BodyReader {

    private static final System.Logger LOG = System.getLogger(BodyReader.class.getName());
    private static final long POLL_MILLIS = 5;
    /** The largest body read at once when it has all arrived (larger ones are read as they come). */
    private static final long ARRIVED_MAX = 64 * 1024;

    private final long maxBody;
    private final Duration timeout;
    private final Ticker ticker;
    private final String bodyAttribute;

    /**
     * @param bodyAttribute the request attribute the body is handed back in after an asynchronous read (a name
     *     only this servlet uses)
     */
    BodyReader(long maxBody, Duration timeout, Ticker ticker, String bodyAttribute) {
        this.maxBody = maxBody;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.bodyAttribute = Objects.requireNonNull(bodyAttribute, "bodyAttribute");
    }

    /** The outcome of {@link #read}. */
    sealed interface Outcome {
        /** The whole body, read on this thread. */
        record Read(String body) implements Outcome {
        }

        /** The body is being read asynchronously; the servlet is called again with it, or an error is answered. */
        record Pending() implements Outcome {
        }

        /** An error response was written. */
        record Refused() implements Outcome {
        }
    }

    /** Whether {@code request} is the dispatch that hands an asynchronously read body back to the servlet. */
    boolean handsBack(HttpServletRequest request) {
        return request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(bodyAttribute) instanceof String;
    }

    /** The body of an asynchronous read handed back to the servlet, if {@code request} is that dispatch. */
    Optional<String> handedBack(HttpServletRequest request) {
        if (!handsBack(request) || !(request.getAttribute(bodyAttribute) instanceof String body)) {
            return Optional.empty();
        }
        request.removeAttribute(bodyAttribute);
        return Optional.of(body);
    }

    /** Starts reading the body of {@code request}. */
    Outcome read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = ticker.read();
        Optional<Outcome> arrived = arrived(request, response);
        if (arrived.isPresent()) {
            return arrived.get();
        }
        if (request.isAsyncSupported()) {
            AsyncContext async = request.startAsync();
            // the container's wake-up for a client that sends nothing; a little later than the deadline so that
            // bytes arriving just before it are still judged by the clock
            async.setTimeout(timeout.toMillis() + 100);
            Listener listener = new Listener(async, request, response, start);
            async.addListener(listener);
            request.getInputStream().setReadListener(listener);
            return new Outcome.Pending();
        }
        return readPolling(request.getInputStream(), response, start);
    }

    /**
     * Reads the whole body on this thread when every byte of it (by its declared length) has arrived already, as a
     * small body usually has with its headers: no wait (the container hands out only bytes it holds), and the request
     * needs no asynchronous read and no second dispatch. Empty, having read nothing, when the body is not all there.
     */
    private Optional<Outcome> arrived(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared <= 0 || declared > maxBody || declared > ARRIVED_MAX) {
            return Optional.empty();
        }
        ServletInputStream in;
        try {
            in = request.getInputStream();
            if (in.available() < declared) {
                return Optional.empty();
            }
        } catch (IOException | IllegalStateException e) {
            return Optional.empty(); // the asynchronous read meets and answers the same failure
        }
        byte[] body = new byte[(int) declared];
        int at = 0;
        try {
            while (at < body.length) {
                int n = in.read(body, at, body.length - at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
        } catch (IOException e) {
            return Optional.of(refuse(response, unreadable()));
        }
        if (at < body.length) {
            return Optional.of(refuse(response, unreadable())); // shorter than declared: never a cut body parsed
        }
        return Optional.of(new Outcome.Read(new String(body, StandardCharsets.UTF_8)));
    }

    private Outcome readPolling(ServletInputStream in, HttpServletResponse response, long start) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (!in.isFinished()) {
                int available = in.available();
                if (available > 0) {
                    int n = in.read(buffer, 0, Math.min(available, buffer.length));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    if (out.size() > maxBody) {
                        return refuse(response, tooLarge());
                    }
                } else if (expired(start)) {
                    return refuse(response, timedOut());
                } else {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(response, unreadable());
        } catch (IOException e) {
            return refuse(response, unreadable());
        }
        return new Outcome.Read(out.toString(StandardCharsets.UTF_8));
    }

    private boolean expired(long start) {
        return ticker.read() - start >= timeout.toNanos();
    }

    /** Writes {@code error} with {@code Connection: close}: what is left of the body is not read. */
    private static Outcome refuse(HttpServletResponse response, ErrorObject error) throws IOException {
        EdgeWriter.refuseUnread(error, response);
        return new Outcome.Refused();
    }

    private static ErrorObject timedOut() {
        return OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(408)
                .setDescription("The request body did not arrive in time");
    }

    private static ErrorObject tooLarge() {
        return EdgeWriter.TOO_LARGE;
    }

    private static ErrorObject unreadable() {
        return OAuth2Error.INVALID_REQUEST.setDescription("The request could not be read");
    }

    /**
     * Collects the body as it arrives. The container calls the read callbacks one at a time; the async timeout
     * may come on another thread, so whoever ends the exchange first claims it through {@link #ended}.
     */
    private final class Listener implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long start;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];

        Listener(AsyncContext async, HttpServletRequest request, HttpServletResponse response, long start) {
            this.async = async;
            this.request = request;
            this.response = response;
            this.start = start;
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = request.getInputStream();
            while (!ended.get() && !in.isFinished() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return; // onAllDataRead follows
                }
                body.write(buffer, 0, n);
                if (body.size() > maxBody) {
                    end(tooLarge());
                    return;
                }
            }
            if (!in.isFinished() && expired(start)) {
                end(timedOut());
            }
        }

        @Override
        public void onAllDataRead() {
            if (ended.compareAndSet(false, true)) {
                request.setAttribute(bodyAttribute, body.toString(StandardCharsets.UTF_8));
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable t) {
            LOG.log(System.Logger.Level.DEBUG, "request body unreadable: {0}", t.getClass().getName());
            end(unreadable());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(timedOut());
        }

        @Override
        public void onError(AsyncEvent event) {
            end(unreadable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // nothing held
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        /** Answers {@code error} and completes, unless the exchange ended already. */
        private void end(ErrorObject error) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                refuse(response, error);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not answer a refused body: {0}", e.getClass().getName());
            } finally {
                async.complete();
            }
        }
    }
}
