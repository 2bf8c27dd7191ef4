package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.error.Printable;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches one client ID metadata document with a single HTTP/1.1 GET over TLS, as the draft's security
 * considerations ask: the host's addresses are resolved once and every one must pass the {@link AddressPolicy};
 * the TCP connection goes to a vetted address (the name is not resolved again, so DNS rebinding cannot redirect
 * it), while TLS still verifies the certificate against the host name (SNI and endpoint identification). Redirects
 * are never followed; only {@code 200} with a JSON media type is accepted; the body is read up to a byte limit;
 * one deadline covers the host name lookup, connecting, the TLS handshake and reading: the lookup runs on a
 * bounded pool and is abandoned when the deadline passes (a resolver cannot be interrupted), the socket is closed
 * when it passes.
 *
 * <p>{@code java.net.http.HttpClient} is not used because on Java 17 it cannot be told which address to connect
 * to: it would resolve the name again after the check.
 */
final class DocumentFetcher {

    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile("application/(?:[a-z0-9.!#$&^_-]+\\+)?json");

    private final HostResolver resolver;
    private final AddressPolicy policy;
    private final SSLSocketFactory tls;
    private final Duration timeout;
    private final int maxBytes;
    private final ScheduledExecutorService watchdog;
    private final ExecutorService lookups;
    private final Semaphore lookupSlots;
    private final Ticker ticker;

    /**
     * @param watchdog closes sockets whose deadline passed
     * @param lookups runs host name lookups, with at least {@code maxLookups} threads
     * @param maxLookups the most lookups running at once, abandoned ones included (a lookup abandoned at its
     *     deadline keeps its thread until the resolver returns); beyond it a fetch is refused, not queued
     * @param ticker reads the time every deadline is measured on (nanoseconds, monotonic)
     */
    DocumentFetcher(HostResolver resolver, AddressPolicy policy, SSLSocketFactory tls, Duration timeout, int maxBytes,
            ScheduledExecutorService watchdog, ExecutorService lookups, int maxLookups, Ticker ticker) {
        this.resolver = resolver;
        this.policy = policy;
        this.tls = tls;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.watchdog = watchdog;
        this.lookups = lookups;
        this.lookupSlots = new Semaphore(maxLookups);
        this.ticker = ticker;
    }

    /** A fetcher with its own daemon threads (idle ones end after 10 seconds); {@link #close} stops them. */
    static DocumentFetcher start(HostResolver resolver, AddressPolicy policy, SSLSocketFactory tls, Duration timeout,
            int maxBytes, int maxLookups, Ticker ticker) {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1,
                daemonThreads("mcp-oauth-client-document-timeout"));
        watchdog.setRemoveOnCancelPolicy(true);
        watchdog.setKeepAliveTime(10, TimeUnit.SECONDS);
        watchdog.allowCoreThreadTimeOut(true);
        ThreadPoolExecutor lookups = new ThreadPoolExecutor(maxLookups, maxLookups, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("mcp-oauth-client-document-dns"));
        lookups.allowCoreThreadTimeOut(true);
        return new DocumentFetcher(resolver, policy, tls, timeout, maxBytes, watchdog, lookups, maxLookups, ticker);
    }

    /** Stops the threads: fetches under way fail, later ones are refused. */
    void close() {
        watchdog.shutdownNow();
        lookups.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A fetched document: its text and how long the server said it stays fresh.
     *
     * @param json the body, decoded as UTF-8
     * @param freshness the lifetime from {@code Cache-Control} ({@code max-age} less {@code Age}; zero for
     *     {@code no-store} or {@code no-cache}), empty when the response says nothing
     */
    record Fetched(String json, Optional<Duration> freshness) {
    }

    /**
     * Fetches the document at {@code url}.
     *
     * @throws OAuthException with the reason when anything is wrong
     */
    Fetched fetch(ClientIdUrl url) {
        long deadline = ticker.read() + timeout.toNanos();
        List<InetAddress> addresses = vettedAddresses(url, deadline);
        IOException lastFailure = null;
        for (InetAddress address : addresses) {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                break;
            }
            Socket socket = new Socket();
            ScheduledFuture<?> alarm = watchdog.schedule(() -> closeQuietly(socket), remaining, TimeUnit.NANOSECONDS);
            try {
                socket.connect(new InetSocketAddress(address, url.port()), millis(remaining));
            } catch (IOException e) {
                alarm.cancel(false);
                closeQuietly(socket);
                lastFailure = e;
                continue;
            }
            try {
                return exchange(url, socket, deadline);
            } catch (IOException e) {
                throw Rejection.of(ticker.read() - deadline >= 0
                        ? "no complete response within " + timeout.toMillis() + " ms"
                        : "the connection failed: " + describe(e));
            } finally {
                alarm.cancel(false);
                closeQuietly(socket);
            }
        }
        if (lastFailure instanceof SocketTimeoutException || lastFailure == null) {
            throw Rejection.of("could not connect within " + timeout.toMillis() + " ms");
        }
        throw Rejection.of("could not connect: " + describe(lastFailure));
    }

    private List<InetAddress> vettedAddresses(ClientIdUrl url, long deadline) {
        List<InetAddress> addresses;
        try {
            addresses = url.ipLiteral() ? List.of(InetAddress.getByName(url.host())) : lookUp(url.host(), deadline);
        } catch (UnknownHostException e) {
            throw Rejection.of("the host does not resolve");
        } catch (OAuthException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Rejection.of("the host resolver failed: " + e.getClass().getSimpleName());
        }
        if (addresses == null || addresses.isEmpty()) {
            throw Rejection.of("the host does not resolve");
        }
        for (InetAddress a : addresses) {
            if (a == null || !permits(a)) {
                // One bad address refuses the lot: with several records an attacker could otherwise race them.
                throw Rejection.of("the host resolves to an address that is not allowed: "
                        + (a == null ? "null" : a.getHostAddress()));
            }
        }
        return addresses;
    }

    /** Resolves {@code host} on the lookup pool, waiting no longer than {@code deadline}. */
    private List<InetAddress> lookUp(String host, long deadline) throws UnknownHostException {
        if (!lookupSlots.tryAcquire()) {
            throw Rejection.of("too many host name lookups are still running");
        }
        Future<List<InetAddress>> lookup;
        try {
            lookup = lookups.submit(() -> {
                try {
                    return resolver.resolve(host);
                } finally {
                    lookupSlots.release(); // when the lookup ends, not when the fetch stops waiting for it
                }
            });
        } catch (RejectedExecutionException e) {
            lookupSlots.release();
            throw Rejection.of("the host name lookup could not start");
        }
        try {
            return lookup.get(Math.max(0, deadline - ticker.read()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Abandoned, not cancelled: the JVM resolver ignores interrupts, and a task cancelled before it started
            // would never release its slot.
            throw Rejection.of("the host did not resolve within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Rejection.of("interrupted while resolving the host");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw Rejection.of("the host resolver failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    private boolean permits(InetAddress address) {
        try {
            return policy.permits(address);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Fetched exchange(ClientIdUrl url, Socket socket, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, url.host(), url.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        if (!url.ipLiteral()) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(url.host())));
            } catch (IllegalArgumentException e) {
                throw Rejection.of("the host name is not valid for TLS");
            }
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(millis(deadline - ticker.read()));
        ssl.startHandshake();

        OutputStream out = ssl.getOutputStream();
        out.write(("GET " + url.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + url.hostHeader() + "\r\n"
                + "Accept: application/json\r\n"
                + "Accept-Encoding: identity\r\n"
                + "User-Agent: mcp-oauth\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();

        ResponseReader reader = new ResponseReader(new BufferedInputStream(new Deadline(ssl, deadline, ticker), 2048));
        ResponseReader.Head head = reader.readHead();
        if (head.status() >= 300 && head.status() < 400) {
            throw Rejection.of("the server answered " + head.status() + " (redirects are not followed)");
        }
        if (head.status() != 200) {
            throw Rejection.of("the server answered " + head.status() + " instead of 200");
        }
        String contentType = head.first("content-type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!JSON_MEDIA_TYPE.matcher(mediaType).matches()) {
            throw Rejection.of("the document's content type is not application/json");
        }
        List<String> encodings = head.values("content-encoding");
        if (!encodings.isEmpty() && !(encodings.size() == 1 && encodings.get(0).equalsIgnoreCase("identity"))) {
            throw Rejection.of("the document has a content encoding");
        }
        byte[] body = reader.readBody(head, maxBytes);
        return new Fetched(utf8(body), freshness(head));
    }

    /** The lifetime the response gives itself (RFC 9111 §4.2.1, §5.1, §5.2), if it says. */
    static Optional<Duration> freshness(ResponseReader.Head head) {
        Long maxAge = null;
        for (String directive : head.values("cache-control")) {
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : directive.substring(eq + 1).strip().replace("\"", "");
            if (name.equals("no-store") || name.equals("no-cache")) {
                return Optional.of(Duration.ZERO);
            }
            if (name.equals("max-age") && maxAge == null && SECONDS.matcher(value).matches()) {
                maxAge = Long.parseLong(value);
            }
        }
        if (maxAge == null) {
            return Optional.empty();
        }
        String age = head.first("age");
        long seconds = maxAge;
        if (age != null && SECONDS.matcher(age).matches()) {
            seconds = Math.max(0, maxAge - Long.parseLong(age));
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw Rejection.of("the document is not UTF-8");
        }
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : Printable.ascii(e.getMessage(), 160);
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : " (" + message + ")");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do: the socket is being abandoned.
        }
    }

    /** Arms the socket's read timeout with the time left before every read, so no read outlives the deadline. */
    private static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private final long deadline;
        private final Ticker ticker;

        Deadline(Socket socket, long deadline, Ticker ticker) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
            this.ticker = ticker;
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }

        private void arm() throws IOException {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout(millis(remaining));
        }
    }
}
