package io.github.mcpoauth.servlet.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} refuses to send: invalid
 * percent-encoding or UTF-8 in the target, duplicate {@code Authorization} headers, lying lengths, binary bodies.
 */
final class RawHttp {

    /** A response: status, header lines ({@code name: value}), body. */
    record Response(int status, List<String> headers, String body) {
        /** Every value of header {@code name}, case-insensitively. */
        List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).toList();
        }
    }

    private RawHttp() {
    }

    /** A request to {@code base}: request line, Host, {@code headers} (each ending in CRLF), Connection: close. */
    static byte[] request(URI base, String method, String target, String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n" + headers
                + "Connection: close\r\n" + (body.length > 0 || method.equals("POST")
                ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Sends raw bytes to {@code base}'s host and port on a new connection and reads the whole response. */
    static Response exchange(URI base, byte[] request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException early) {
                // the server may answer (e.g. 413) and close before reading everything; read that answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) > 0 && buf.size() < 1 << 20; ) {
                    buf.write(b, 0, n);
                }
            } catch (IOException reset) {
                if (buf.size() == 0) {
                    throw reset;
                }
            }
            String response = buf.toString(StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP response: "
                        + response.substring(0, Math.min(40, response.length())));
            }
            int end = response.indexOf("\r\n\r\n");
            String head = end < 0 ? response : response.substring(0, end);
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            String statusLine = lines.remove(0);
            return new Response(Integer.parseInt(statusLine.substring(9, 12)), lines,
                    end < 0 ? "" : response.substring(end + 4));
        }
    }

    /**
     * One kept-alive HTTP/1.1 connection: requests are written as given (no {@code Connection: close} added) and
     * each response is read to the end of its {@code Content-Length}, so the next request can follow on the same
     * socket.
     */
    static final class KeptAlive implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        KeptAlive(URI base) throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        /** Writes {@code bytes} (part of a request, or several). */
        void write(String bytes) throws IOException {
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** Reads one response; fails when the server closed the connection instead. */
        Response read() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection after " + head.size() + " bytes");
                }
                head.write(b);
            }
            List<String> lines = new ArrayList<>(List.of(head.toString(StandardCharsets.ISO_8859_1).strip()
                    .split("\r\n")));
            String statusLine = lines.remove(0);
            Response partial = new Response(Integer.parseInt(statusLine.substring(9, 12)), lines, "");
            int length = partial.header("Content-Length").stream().findFirst().map(Integer::parseInt).orElse(0);
            byte[] body = in.readNBytes(length);
            return new Response(partial.status(), lines, new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
