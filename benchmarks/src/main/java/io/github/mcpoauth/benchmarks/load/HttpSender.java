package io.github.mcpoauth.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * How {@link HttpTarget} sends its requests to one server: the lean blocking HTTP/1.1 client ({@link LeanHttpClient},
 * the default: the generator shares the machine's cores with the servers it measures, so its own cost must be
 * small) or the JDK {@code HttpClient} ({@link JdkHttpSender}, {@code --http-client jdk}). One sender per target,
 * shared by every worker; each keeps the cookies its target set (the demo login's session) and sends them back.
 */
interface HttpSender {

    /** Sends {@code request} and reads the whole answer; redirects are not followed. */
    Response send(Request request) throws IOException, InterruptedException;

    /**
     * Requests sent again on a fresh connection because the server had closed a pooled connection while it was
     * idle (EOF or reset before any byte of the answer, on a reused connection), so far.
     */
    long retries();

    /** Which client this is, as the run's header line prints it. */
    Kind kind();

    /**
     * Opens connections to {@code uri}'s host and port until {@code n} sit idle in this sender's pool, ready for
     * {@code n} concurrent requests; a client that does not pool its own (the JDK's) opens none here.
     */
    default void connect(URI uri, int n) throws IOException {
    }

    /** Closes the connections this sender keeps open (a sender is not used after). */
    void close();

    /** The two implementations, named as {@code --http-client} takes them. */
    enum Kind {
        LEAN("lean blocking HTTP/1.1 client (one keep-alive socket per worker and target)"),
        JDK("JDK HttpClient (HTTP/1.1, keep-alive)");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }

        /** {@code lean} or {@code jdk}. */
        static Kind parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "lean" -> LEAN;
                case "jdk" -> JDK;
                default -> throw new IllegalArgumentException("--http-client must be lean or jdk, not " + value);
            };
        }

        /** A new sender of this kind, for one target. */
        HttpSender newSender() {
            return this == LEAN ? new LeanHttpClient() : new JdkHttpSender();
        }
    }

    /**
     * One request.
     *
     * @param method  {@code GET} or {@code POST}
     * @param uri     absolute {@code http} URI
     * @param headers name, value, name, value... ({@code Host}, {@code Content-Length} and cookies are added)
     * @param body    the body ({@code POST}), or {@code null}
     */
    record Request(String method, URI uri, List<String> headers, String body) {
        public Request {
            if (headers.size() % 2 != 0) {
                throw new IllegalArgumentException("headers must come in name, value pairs");
            }
            headers = List.copyOf(headers);
        }

        static Request get(URI uri) {
            return new Request("GET", uri, List.of(), null);
        }

        static Request post(URI uri, String body, String... headers) {
            return new Request("POST", uri, List.of(headers), body);
        }
    }

    /**
     * One answer, its body read whole.
     *
     * @param status  the status code
     * @param headers name, value, name, value... as received
     * @param body    the body as text (UTF-8), empty when there was none
     */
    record Response(int status, List<String> headers, String body) {

        /** The first value of header {@code name} (case-insensitive), or {@code null}. */
        String header(String name) {
            for (int i = 0; i < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }
    }
}
