package io.github.mcpoauth.core.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuilderChecksTest {

    @Test
    void uriWhenNullOrNotAUriThenFailsNamingTheField() {
        assertThatThrownBy(() -> BuilderChecks.uri("issuer", null))
                .isInstanceOf(NullPointerException.class).hasMessage("issuer");
        assertThatThrownBy(() -> BuilderChecks.uri("issuer", "https://exa mple.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("issuer");
        assertThat(BuilderChecks.uri("issuer", "https://example.com")).isEqualTo(URI.create("https://example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/x", "ftp://example.com/x", "/relative", "https:///nohost",
        "https://user:pw@example.com/x", "javascript:alert(1)"})
    void httpUrlWhenNotHttpsOrLoopbackHttpThenFailsNamingTheField(String url) {
        assertThatThrownBy(() -> BuilderChecks.httpUrl("remoteJwks", URI.create(url)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("remoteJwks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/", "https://example.com/jwks?x=1", "http://localhost:8080/jwks",
        "http://127.0.0.1/jwks"})
    void httpUrlWhenHttpsOrLoopbackHttpThenReturned(String url) {
        assertThat(BuilderChecks.httpUrl("remoteJwks", URI.create(url))).isEqualTo(URI.create(url));
    }

    @Test
    void intBetweenWhenOutsideTheRangeThenFailsNamingTheField() {
        assertThatThrownBy(() -> BuilderChecks.intBetween("maxTokenLength", 255, 256, 65_536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxTokenLength");
        assertThatThrownBy(() -> BuilderChecks.longBetween("cacheMaximumSize", -1, 0, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cacheMaximumSize");
        assertThat(BuilderChecks.intBetween("maxTokenLength", 256, 256, 65_536)).isEqualTo(256);
        assertThat(BuilderChecks.longBetween("cacheMaximumSize", 1_000_000, 0, 1_000_000)).isEqualTo(1_000_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a,b", "a b", "a\"b", "a\\b", "caf\u00e9"})
    void scopeTokenWhenNotATokenThenFailsNamingTheField(String scope) {
        assertThat(BuilderChecks.isScopeToken(scope)).isFalse();
        assertThatThrownBy(() -> BuilderChecks.scopeToken("requiredScopes", scope))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requiredScopes");
    }

    @Test
    void scopeTokenWhenNullOrLongerThan128ThenFails() {
        assertThatThrownBy(() -> BuilderChecks.scopeToken("scopes", null)).hasMessageStartingWith("scopes");
        assertThatThrownBy(() -> BuilderChecks.scopeToken("scopes", "x".repeat(129)))
                .hasMessageStartingWith("scopes");
        assertThat(BuilderChecks.scopeToken("scopes", "mcp:read/x!#[]~")).isEqualTo("mcp:read/x!#[]~");
    }
}
