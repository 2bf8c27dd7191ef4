package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.error.OAuthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientIdUrlTest {

    @Test
    void whenUrlIsHttpsWithPathThenParsedVerbatim() {
        ClientIdUrl url = ClientIdUrl.parse("https://app.example.com:8443/oauth/client.json");

        assertThat(url.value()).isEqualTo("https://app.example.com:8443/oauth/client.json");
        assertThat(url.host()).isEqualTo("app.example.com");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(url.ipLiteral()).isFalse();
        assertThat(url.requestTarget()).isEqualTo("/oauth/client.json");
        assertThat(url.hostHeader()).isEqualTo("app.example.com:8443");
    }

    @Test
    void whenUrlHasNoPortThenPort443AndHostHeaderWithoutPort() {
        ClientIdUrl url = ClientIdUrl.parse("https://app.example.com/c");

        assertThat(url.port()).isEqualTo(443);
        assertThat(url.hostHeader()).isEqualTo("app.example.com");
    }

    @Test
    void whenHostIsIpLiteralThenMarkedAsLiteral() {
        assertThat(ClientIdUrl.parse("https://203.0.113.5/c").ipLiteral()).isTrue();
        ClientIdUrl v6 = ClientIdUrl.parse("https://[2001:db8::1]/c");
        assertThat(v6.ipLiteral()).isTrue();
        assertThat(v6.host()).isEqualTo("2001:db8::1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "https://user@app.example.com/c",
        "https://user:pw@app.example.com/c", "https://app.example.com/c?x=1", "https://app.example.com/c?",
        "https://app.example.com/c#frag", "https://app.example.com/a/../c", "https://app.example.com/./c",
        "https://app.example.com/a/%2e%2E/c", "https://app.example.com/a/..", "https://app.example.com:/c",
        "https://app.example.com:0/c", "https://app.example.com:70000/c", "https://app.exa mple.com/c",
        "https://app.example.com/c\u00e9", "https://app.example.com/c\r\nX: y", "https:///c", "https://a_b.example/c",
        "https://127.1/c", "http://app.example.com/c", "HTTPS://app.example.com/c"})
    void whenUrlBreaksAClientIdentifierRuleThenRefused(String value) {
        assertThatThrownBy(() -> ClientIdUrl.parse(value)).isInstanceOf(OAuthException.class);
    }

    @Test
    void whenUrlIsLongerThan512CharactersThenRefused() {
        String value = "https://app.example.com/" + "a".repeat(ClientIdUrl.MAX_LENGTH);

        assertThatThrownBy(() -> ClientIdUrl.parse(value)).hasMessageContaining("longer than 512");
    }

    @Test
    void whenValueDoesNotStartWithHttpsThenItIsNotOne() {
        assertThat(ClientIdUrl.looksLikeOne("abc123")).isFalse();
        assertThat(ClientIdUrl.looksLikeOne("http://app.example.com/c")).isFalse();
        assertThat(ClientIdUrl.looksLikeOne(null)).isFalse();
        assertThat(ClientIdUrl.looksLikeOne("https://app.example.com/c")).isTrue();
    }
}
