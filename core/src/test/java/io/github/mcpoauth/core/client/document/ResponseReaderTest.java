package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.error.OAuthException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static ResponseReader reader(String raw) {
        return new ResponseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String body(String raw, int max) throws Exception {
        ResponseReader r = reader(raw);
        return new String(r.readBody(r.readHead(), max), StandardCharsets.UTF_8);
    }

    @Test
    void whenContentLengthFramesTheBodyThenExactlyThatIsRead() throws Exception {
        assertThat(body("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}trailing", 100)).isEqualTo("{}");
    }

    @Test
    void whenBodyIsChunkedThenChunksAreJoinedAndTrailersSkipped() throws Exception {
        String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nX-Trailer: y\r\n\r\n";

        assertThat(body(raw, 100)).isEqualTo("{\"a\":1}");
    }

    @Test
    void whenNeitherLengthNorChunkedThenBodyRunsToTheEnd() throws Exception {
        assertThat(body("HTTP/1.0 200 OK\nContent-Type: application/json\n\n{\"x\":1}", 100)).isEqualTo("{\"x\":1}");
    }

    @Test
    void whenContentLengthExceedsTheLimitThenRefusedBeforeReading() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 6000\r\n\r\n", 5120))
                .isInstanceOf(OAuthException.class).hasMessageContaining("larger than 5120 bytes");
    }

    @Test
    void whenChunkedBodyExceedsTheLimitThenRefused() {
        String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + ("ff\r\n" + "a".repeat(255) + "\r\n").repeat(3) + "0\r\n\r\n";

        assertThatThrownBy(() -> body(raw, 512)).hasMessageContaining("larger than 512 bytes");
    }

    @Test
    void whenUnframedBodyExceedsTheLimitThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(600), 512))
                .hasMessageContaining("larger than 512 bytes");
    }

    @Test
    void whenBodyIsShorterThanContentLengthThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", 100))
                .hasMessageContaining("cut short");
    }

    @Test
    void whenContentLengthsConflictThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 100))
                .hasMessageContaining("malformed Content-Length");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}", 100))
                .hasMessageContaining("malformed Content-Length");
    }

    @Test
    void whenTransferEncodingAndContentLengthBothAppearThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n", 100)).hasMessageContaining("both Transfer-Encoding and Content-Length");
    }

    @Test
    void whenTransferCodingIsNotChunkedThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 100))
                .hasMessageContaining("transfer coding other than chunked");
    }

    @Test
    void whenChunkSizeIsMalformedThenRefused() {
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100))
                .hasMessageContaining("malformed chunk");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\n", 100))
                .hasMessageContaining("malformed chunk");
    }

    @Test
    void whenHeaderLineIsFoldedThenRefused() {
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n application/json\r\n\r\n")
                .readHead()).hasMessageContaining("folded");
    }

    @Test
    void whenHeaderNameIsMalformedThenRefused() {
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n").readHead())
                .hasMessageContaining("malformed header line");
    }

    @Test
    void whenHeadIsHugeThenRefused() {
        String raw = "HTTP/1.1 200 OK\r\n" + ("X-Padding: " + "a".repeat(1000) + "\r\n").repeat(10) + "\r\n";

        assertThatThrownBy(() -> reader(raw).readHead()).hasMessageContaining("head is longer than 8192 bytes");
    }

    @Test
    void whenThereAreTooManyHeaderLinesThenRefused() {
        String raw = "HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(101) + "\r\n";

        assertThatThrownBy(() -> reader(raw).readHead()).hasMessageContaining("more than 100 header lines");
    }

    @Test
    void whenStatusLineIsNotHttp1ThenRefused() {
        assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH\r\n\r\n").readHead()).hasMessageContaining("not HTTP/1.x");
        assertThatThrownBy(() -> reader("HTTP/1.1 2000 OK\r\n\r\n").readHead()).hasMessageContaining("not HTTP/1.x");
    }

    @Test
    void whenInterimResponsesPrecedeTheFinalOneThenTheyAreSkipped() throws Exception {
        ResponseReader.Head head = reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").readHead();

        assertThat(head.status()).isEqualTo(404);
    }

    @Test
    void whenConnectionClosesMidHeadThenEof() {
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Ty").readHead()).isInstanceOf(EOFException.class);
    }

    @Test
    void whenCacheControlHasMaxAgeThenFreshnessIsMaxAgeLessAge() throws Exception {
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\nCache-Control: public, max-age=600\r\n"
                + "Age: 100\r\n\r\n").readHead())).contains(Duration.ofSeconds(500));
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\nCache-Control: max-age=\"60\"\r\n\r\n")
                .readHead())).contains(Duration.ofSeconds(60));
    }

    @Test
    void whenCacheControlForbidsStoringThenFreshnessIsZero() throws Exception {
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\n"
                + "Cache-Control: no-store\r\n\r\n").readHead())).contains(Duration.ZERO);
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\nCache-Control: no-cache=\"Set-Cookie\"\r\n"
                + "\r\n").readHead())).contains(Duration.ZERO);
    }

    @Test
    void whenCacheControlIsAbsentOrUnreadableThenFreshnessIsUnknown() throws Exception {
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\n\r\n").readHead())).isEmpty();
        assertThat(DocumentFetcher.freshness(reader("HTTP/1.1 200 OK\r\nCache-Control: max-age=soon\r\n\r\n")
                .readHead())).isEmpty();
    }
}
