package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.error.OAuthException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response (RFC 9112) from a connection that will be closed afterwards, with hard limits on
 * everything the peer controls: the head, the number of header lines and the body, whichever way it is framed
 * ({@code Content-Length}, chunked, or until the connection closes). Anything unusual is refused rather than
 * interpreted: folded header lines, transfer codings other than {@code chunked}, conflicting lengths.
 */
final class ResponseReader {

    /** The most bytes the status line and headers may take together. */
    static final int MAX_HEAD = 8 * 1024;

    private static final int MAX_HEADER_LINES = 100;
    private static final int MAX_CHUNK_LINE = 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1,7}");

    private final InputStream in;
    private int headBudget = MAX_HEAD;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    /** The status and headers of the final response, skipping interim 1xx responses. */
    Head readHead() throws IOException {
        while (true) {
            String statusLine = headLine();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' '
                    || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')
                    || !DIGITS.matcher(statusLine.substring(9, 12)).matches()) {
                throw Rejection.of("the response is not HTTP/1.x");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int lines = 0;
            for (String line = headLine(); !line.isEmpty(); line = headLine()) {
                if (++lines > MAX_HEADER_LINES) {
                    throw Rejection.of("the response has more than " + MAX_HEADER_LINES + " header lines");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                    throw Rejection.of("the response has a malformed header line");
                }
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            if (status >= 200 || status < 100) {
                return new Head(status, headers);
            }
            if (status == 101) {
                throw Rejection.of("the server switched protocols");
            }
        }
    }

    /**
     * The body, at most {@code max} bytes.
     *
     * @throws OAuthException if it is longer, truncated or framed oddly
     */
    byte[] readBody(Head head, int max) throws IOException {
        List<String> transferCodings = head.values("transfer-encoding");
        List<String> lengths = head.values("content-length");
        if (!transferCodings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw Rejection.of("the response has both Transfer-Encoding and Content-Length");
            }
            if (transferCodings.size() != 1 || !transferCodings.get(0).equalsIgnoreCase("chunked")) {
                throw Rejection.of("the response uses a transfer coding other than chunked");
            }
            return chunked(max);
        }
        if (!lengths.isEmpty()) {
            String length = lengths.get(0);
            if (lengths.stream().anyMatch(l -> !l.equals(length)) || !DIGITS.matcher(length).matches()) {
                throw Rejection.of("the response has a malformed Content-Length");
            }
            long n = Long.parseLong(length);
            if (n > max) {
                throw tooLarge(max);
            }
            return readExactly((int) n);
        }
        return untilClose(max);
    }

    private byte[] chunked(int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = chunkLine();
            int semicolon = line.indexOf(';');
            String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
            if (!HEX.matcher(size).matches()) {
                throw Rejection.of("the response has a malformed chunk");
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                for (String trailer = chunkLine(); !trailer.isEmpty(); trailer = chunkLine()) {
                    // Trailer fields are read past and ignored (RFC 9112 §7.1.2).
                }
                return body.toByteArray();
            }
            if ((long) body.size() + n > max) {
                throw tooLarge(max);
            }
            body.writeBytes(readExactly(n));
            if (!chunkLine().isEmpty()) {
                throw Rejection.of("the response has a malformed chunk");
            }
        }
    }

    private String chunkLine() throws IOException {
        return line(MAX_CHUNK_LINE, "the response has an overlong chunk line");
    }

    private byte[] untilClose(int max) throws IOException {
        byte[] buffer = new byte[max + 1];
        int total = 0;
        int n;
        while (total < buffer.length && (n = in.read(buffer, total, buffer.length - total)) != -1) {
            total += n;
        }
        if (total > max) {
            throw tooLarge(max);
        }
        return Arrays.copyOf(buffer, total);
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw Rejection.of("the response body was cut short");
        }
        return bytes;
    }

    private String headLine() throws IOException {
        String line = line(headBudget, "the response head is longer than " + MAX_HEAD + " bytes");
        headBudget -= line.length() + 2;
        if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
            throw Rejection.of("the response has a folded header line");
        }
        return line;
    }

    /** One line ending in LF (an optional CR before it is dropped), of fewer than {@code limit} bytes. */
    private String line(int limit, String overflow) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("the connection closed in the middle of the response");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= limit) {
                throw Rejection.of(overflow);
            }
            line.write(b);
        }
    }

    private static OAuthException tooLarge(int max) {
        return Rejection.of("the document is larger than " + max + " bytes");
    }

    /**
     * A response's status and headers, names in lower case.
     *
     * @param status the status code
     * @param headers every header field's values, by lower-case name
     */
    record Head(int status, Map<String, List<String>> headers) {

        /** Every value of the header {@code name} (lower case), comma-separated lists split. */
        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String v : headers.getOrDefault(name, List.of())) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        values.add(part.strip());
                    }
                }
            }
            return values;
        }

        /** The first value of the header {@code name} (lower case), unsplit, or {@code null}. */
        String first(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }
}
