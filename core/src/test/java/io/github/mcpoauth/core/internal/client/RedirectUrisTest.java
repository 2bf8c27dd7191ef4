package io.github.mcpoauth.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.error.OAuthException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectUrisTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT://example.com/%0Aalert(1)",
        " javascript:alert(1)", "\tjavascript:alert(1)", "javascript:alert(1) ",
        "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=", " data:text/html,x",
        "vbscript:msgbox(1)", "VBScript:msgbox(1)", " vbscript:msgbox(1)",
        "file:///etc/passwd", "FILE:///c:/windows", " file:///etc/passwd", "file://host/share",
        "https://app.example.com/cb#", "https://app.example.com/cb#frag", "com.example.app:/cb#x",
        "/callback", "callback", "//app.example.com/cb", "?x=1",
        "http://app.example.com/cb", "HTTP://app.example.com/cb", "http://localhost.evil.com/cb",
        "http://127.0.0.1.nip.io/cb", "http://10.0.0.1/cb", "http://0.0.0.0/cb",
        "https://user:pw@app.example.com/cb", "http://user@127.0.0.1/cb",
        "https:///cb", "https:cb", "http:/cb",
        "about:blank", "blob:https://a/b", "ws://localhost/cb", "mailto:a@b.c", "jar:file:/x!/y",
        "https://app.example.com/c b", "https://app.example.com/cb\r\nSet-Cookie:x", "com.example.app:"
    })
    void whenRedirectUriIsDangerousOrMalformedThenInvalidRedirectUri(String uri) {
        assertThatThrownBy(() -> RedirectUris.checkRegistrable(uri))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error().getCode()).isEqualTo("invalid_redirect_uri"));
    }

    @Test
    void whenRedirectUriIsVeryLongThenInvalidRedirectUri() {
        assertThatThrownBy(() -> RedirectUris.checkRegistrable("https://app.example.com/" + "a".repeat(2000)))
                .isInstanceOf(OAuthException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/callback", "https://app.example.com:8443/cb?tenant=a",
        "http://localhost/callback", "http://localhost:3000/callback", "http://127.0.0.1/callback",
        "http://127.0.0.1:61234/cb", "http://[::1]:8080/cb", "com.example.app:/oauth2redirect",
        "com.example.app://callback", "cursor://anysphere.cursor-retrieval/oauth/callback", "myapp:callback"})
    void whenRedirectUriIsHttpsLoopbackHttpOrPrivateUseThenItIsAccepted(String uri) {
        assertThat(RedirectUris.checkRegistrable(uri)).hasToString(uri);
    }

    @Test
    void whenRequestedUriIsIdenticalThenItMatches() {
        List<URI> registered = List.of(URI.create("https://app.example.com/cb"), URI.create("https://b.example/x"));

        assertThat(RedirectUris.match(registered, "https://b.example/x")).hasValue(URI.create("https://b.example/x"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"https://app.example.com/cb/extra", "https://app.example.com/cb?x=1",
        "https://app.example.com/cb/", "https://app.example.com/c", "https://other.example.com/cb",
        "http://app.example.com/cb", "https://app.example.com:443/cb", "https://APP.example.com/cb",
        "https://app.example.com/CB", "https://app.example.com/cb#", "https://app.example.com/%63b",
        "https://app.example.com.evil.com/cb", "https://evil.com/https://app.example.com/cb", "not a uri"})
    void whenRequestedUriIsNotAnExactMatchThenItDoesNotMatch(String requested) {
        assertThat(RedirectUris.match(List.of(URI.create("https://app.example.com/cb")), requested)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/cb", "http://127.0.0.1:1/cb", "http://127.0.0.1:65535/cb"})
    void whenLoopbackRedirectDiffersOnlyInPortThenItMatchesAsRequested(String requested) {
        assertThat(RedirectUris.match(List.of(URI.create("http://127.0.0.1:8080/cb")), requested))
                .hasValue(URI.create(requested));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/cb", "http://127.0.0.2:8080/cb", "https://127.0.0.1:8080/cb",
        "http://127.0.0.1:8080/cb/", "http://127.0.0.1:8080/other", "http://127.0.0.1:8080/cb?x=1",
        "http://127.0.0.1:8080/cb#f", "http://u@127.0.0.1:8080/cb", "http://[::1]:8080/cb"})
    void whenLoopbackRedirectDiffersInMoreThanPortThenItDoesNotMatch(String requested) {
        assertThat(RedirectUris.match(List.of(URI.create("http://127.0.0.1:8080/cb")), requested)).isEmpty();
    }

    @Test
    void whenLocalhostIsRegisteredThen127001DoesNotMatchAndViceVersa() {
        assertThat(RedirectUris.match(List.of(URI.create("http://localhost/cb")), "http://127.0.0.1:5000/cb"))
                .isEmpty();
        assertThat(RedirectUris.match(List.of(URI.create("http://127.0.0.1/cb")), "http://localhost:5000/cb"))
                .isEmpty();
        assertThat(RedirectUris.match(List.of(URI.create("http://localhost/cb")), "http://localhost:5000/cb"))
                .isPresent();
    }

    @Test
    void whenRegisteredUriIsHttpsThenNoPortFlexibility() {
        assertThat(RedirectUris.match(List.of(URI.create("https://localhost/cb")), "https://localhost:8443/cb"))
                .isEmpty();
    }
}
