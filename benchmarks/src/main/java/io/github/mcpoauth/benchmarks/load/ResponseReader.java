package io.github.mcpoauth.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small buffered reader of an HTTP/1.1 answer's bytes (RFC 9112) for {@link LeanHttpClient}: lines (ISO-8859-1),
 * fixed lengths, chunks and the rest of the stream (UTF-8).
 */
final class ResponseReader {

    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    /** Blocks until the first byte of an answer is there; EOF before it is {@link EOFException}. */
    void peekFirstByte() throws IOException {
        if (pos == limit && !fill()) {
            throw new EOFException("connection closed before the answer");
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b; (b = read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed in the answer's head");
            }
            if (line.length() > 16 * 1024) {
                throw new IOException("header line over 16 KiB");
            }
            line.append((char) b);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private void readFully(byte[] into, int off, int n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill()) {
                throw new EOFException("connection closed in the answer's body");
            }
            int k = Math.min(n, limit - pos);
            System.arraycopy(buf, pos, into, off, k);
            pos += k;
            off += k;
            n -= k;
        }
    }

    String readText(int length) throws IOException {
        if (length < 0) {
            throw new IOException("negative Content-Length");
        }
        byte[] body = new byte[length];
        readFully(body, 0, length);
        return new String(body, StandardCharsets.UTF_8);
    }

    String readChunked() throws IOException {
        byte[] body = new byte[1024];
        int size = 0;
        while (true) {
            String line = readLine();
            int ext = line.indexOf(';');
            int chunk = Integer.parseInt((ext < 0 ? line : line.substring(0, ext)).trim(), 16);
            if (chunk < 0) {
                throw new IOException("bad chunk size: " + line);
            }
            if (chunk == 0) {
                while (!readLine().isEmpty()) {
                    // trailer fields, unused
                }
                return new String(body, 0, size, StandardCharsets.UTF_8);
            }
            if (size + chunk > body.length) {
                body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, size + chunk));
            }
            readFully(body, size, chunk);
            size += chunk;
            if (!readLine().isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
    }

    String readToEnd() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(buf, pos, limit - pos);
        pos = limit;
        in.transferTo(body);
        return body.toString(StandardCharsets.UTF_8);
    }
}
