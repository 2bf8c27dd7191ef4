package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.internal.resource.BearerErrors;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final ProtectedResourceSettings settings = TestTokens.settings(clock).requiredScopes(List.of("mcp"))
            .build();

    @Test
    void ofWhenNoTokenThenResourceMetadataAndScopeWithoutErrorCode() {
        String header = BearerChallenge.of(settings, BearerErrors.missingToken().error());

        assertThat(header).isEqualTo("Bearer scope=\"mcp\", resource_metadata="
                + "\"https://rs.example.com/.well-known/oauth-protected-resource/mcp\"");
        assertThat(BearerChallenge.of(settings, null)).isEqualTo(header);
    }

    @Test
    void ofWhenNoRequiredScopesThenNoScopeParameter() {
        ProtectedResourceSettings s = TestTokens.settings(clock).build();

        assertThat(BearerChallenge.of(s, null)).isEqualTo("Bearer resource_metadata="
                + "\"https://rs.example.com/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void ofWhenInvalidTokenThenErrorCodeDescriptionAndResourceMetadata() {
        String header = BearerChallenge.of(settings, BearerErrors.invalidToken().error());

        assertThat(header).isEqualTo("Bearer error=\"invalid_token\", error_description=\"The access token is "
                + "invalid\", scope=\"mcp\", resource_metadata="
                + "\"https://rs.example.com/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void ofWhenInsufficientScopeThenEveryNeededScope() {
        String header = BearerChallenge.of(settings,
                BearerErrors.insufficientScope(List.of("mcp", "tools", "admin")).error());

        assertThat(header).startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"mcp tools admin\"")
                .contains("resource_metadata=");
    }

    @Test
    void formatWhenValuesCarryQuotesBackslashesCommasOrLineBreaksThenTheyAreDropped() {
        // Nimbus refuses quotes, backslashes and controls in an ErrorObject; commas get through it.
        ErrorObject commas = new ErrorObject("invalid_token", "bad token, really, x=1", 401);

        String header = BearerChallenge.format(commas, List.of("ok", "a\"b", "c,d", "e\\f", "g\r\nh", "fine"),
                URI.create("https://rs.example.com/a,b/.well-known"));

        assertThat(header).isEqualTo("Bearer error=\"invalid_token\", error_description=\"bad token really x=1\", "
                + "scope=\"ok fine\", resource_metadata=\"https://rs.example.com/a%2Cb/.well-known\"");
        assertThat(header.chars().filter(c -> c == ',').count()).isEqualTo(3); // the three separators only
    }

    @Test
    void safeTextWhenQuotesBackslashesLineBreaksOrNonAsciiThenDropped() {
        assertThat(BearerChallenge.safeText("a\"b\\c\r\nSet-Cookie: x=1,\u00e9\u0000z"))
                .isEqualTo("abcSet-Cookie: x=1z");
    }

    @Test
    void safeUrlWhenUnusualCharactersThenPercentEncoded() throws Exception {
        assertThat(BearerChallenge.safeUrl(URI.create("https://rs.example.com/p,q/%22x%22/caf%C3%A9")))
                .isEqualTo("https://rs.example.com/p%2Cq/%22x%22/caf%C3%A9");
        assertThat(BearerChallenge.safeUrl(new java.net.URI("https", "rs.example.com", "/caf\u00e9 \"q\"", null)))
                .isEqualTo("https://rs.example.com/caf%C3%A9%20%22q%22");
    }

    @Test
    void formatWhenDescriptionIsLongThenTruncated() {
        ErrorObject long_ = new BearerTokenError("invalid_token", "x".repeat(1000), 401);

        assertThat(BearerChallenge.format(long_, null, null)).hasSize("Bearer error=\"invalid_token\", ".length()
                + "error_description=\"\"".length() + 200);
    }

    @Test
    void formatWhenNothingThenBareScheme() {
        assertThat(BearerChallenge.format(null, List.of(), null)).isEqualTo("Bearer");
    }

    @Test
    void ofWhenMetadataUrlOverriddenThenThatUrl() {
        ProtectedResourceSettings s = TestTokens.settings(clock)
                .resourceMetadataUrl(URI.create("https://meta.example.com/prm")).build();

        assertThat(BearerChallenge.of(s, null)).isEqualTo("Bearer resource_metadata=\"https://meta.example.com/prm\"");
    }
}
